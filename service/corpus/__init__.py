"""The corpus: Markdown documents with front matter, and how they are cut into chunks."""
