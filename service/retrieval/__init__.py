"""Finding passages: embeddings, the Chroma store, BM25 and their fusion."""
