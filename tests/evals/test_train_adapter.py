import numpy as np

from service.evals.train_adapter import AdapterConfig, Index, Labelled, cross_validated, dense_retrieval, fit


def _units(matrix) -> np.ndarray:
    matrix = np.asarray(matrix, dtype=np.float32)
    return matrix / np.linalg.norm(matrix, axis=1, keepdims=True)


def _toy():
    """Six chunks of one sentence each along axes; each question lies nearer a wrong chunk than its own, in the
    same way (a paraphrase the plain embedding misplaces), so one map can put them all right."""
    eye = np.eye(6, dtype=np.float32)
    chunks = _units(eye)
    index = Index([f"c{i}" for i in range(6)], chunks, [f"s{i}" for i in range(6)], np.arange(6), chunks.copy())
    questions = _units([0.6 * eye[i] + 0.8 * eye[(i + 1) % 6] for i in range(6)] * 3)
    rows = [[i % 6] for i in range(18)]
    return index, Labelled(questions, rows, rows)


def test_the_fitted_map_ranks_each_question_to_its_own_chunk_first():
    index, data = _toy()
    before = dense_retrieval(data, index)
    assert before["mrr_chunk"] < 0.6
    matrix = fit(data, index, AdapterConfig(steps=200, learning_rate=0.01, regularisation=0.0))
    after = dense_retrieval(data, index, matrix)
    assert after["mrr_chunk"] == after["mrr_sentence"] == 1.0
    np.testing.assert_array_equal(
        matrix, fit(data, index, AdapterConfig(steps=200, learning_rate=0.01, regularisation=0.0))
    )


def test_regularisation_keeps_the_map_near_the_identity():
    index, data = _toy()
    loose = fit(data, index, AdapterConfig(steps=100, learning_rate=0.01, regularisation=0.0))
    tight = fit(data, index, AdapterConfig(steps=100, learning_rate=0.01, regularisation=1.0))
    identity = np.eye(6)
    assert np.linalg.norm(tight - identity) < 0.75 * np.linalg.norm(loose - identity)


def test_cross_validation_ranks_each_fold_with_a_map_fitted_without_it():
    index, data = _toy()
    report = cross_validated(data, index, AdapterConfig(steps=200, learning_rate=0.01, regularisation=0.0), folds=3)
    assert report["plain"]["questions"] == 6  # per fold, averaged
    assert report["mapped"]["mrr_chunk"] > report["plain"]["mrr_chunk"]


def test_folds_by_passage_fit_without_any_question_answered_by_the_held_chunks(monkeypatch):
    from service.evals import train_adapter

    index, data = _toy()
    fitted_on = []

    def recording_fit(subset, index, config):
        fitted_on.append({row for rows in subset.chunk_rows for row in rows})
        return np.eye(6, dtype=np.float32)

    monkeypatch.setattr(train_adapter, "fit", recording_fit)
    report = cross_validated(data, index, AdapterConfig(), folds=3, by_passage=True)
    assert report["plain"]["questions"] == 6  # two chunks' questions per fold, three apiece
    assert [len(chunks) for chunks in fitted_on] == [4, 4, 4]  # the other four chunks' questions only
    assert set().union(*[set(range(6)) - chunks for chunks in fitted_on]) == set(range(6))
