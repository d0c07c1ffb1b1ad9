from service.settings import PROJECT_ROOT, settings_table


def test_readme_settings_table_matches_the_code():
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    assert settings_table() in readme, (
        "regenerate the table: python -c 'from service.settings import settings_table; print(settings_table())'"
    )
