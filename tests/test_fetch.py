import pytest

from reportgen.formats.pdf.fetch import FolderFetcher, RefusedResource


@pytest.fixture
def fetcher(tmp_path):
    (tmp_path / "report").mkdir()
    (tmp_path / "report" / "ok.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    (tmp_path / "secret.txt").write_text("secret")
    return FolderFetcher([tmp_path / "report"]), tmp_path


def test_files_in_the_folder_are_served(fetcher):
    fetch, root = fetcher
    response = fetch.fetch((root / "report" / "ok.svg").as_uri())
    assert response.content_type == "image/svg+xml"
    assert b"<svg" in response.read()


@pytest.mark.expect_warnings
@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/tracker.png",
        "http://169.254.169.254/latest/meta-data",
        "ftp://example.com/x",
    ],
)
def test_network_is_refused(fetcher, url):
    fetch, _ = fetcher
    with pytest.raises(RefusedResource):
        fetch.fetch(url)
    assert fetch.refused


@pytest.mark.expect_warnings
def test_files_elsewhere_and_escapes_are_refused(fetcher):
    fetch, root = fetcher
    for url in [(root / "secret.txt").as_uri(), (root / "report").as_uri() + "/../secret.txt", "file:///etc/passwd"]:
        with pytest.raises(RefusedResource):
            fetch.fetch(url)
    assert len(fetch.refused) == 3


@pytest.mark.expect_warnings
def test_symlink_out_of_the_folder_is_refused(fetcher):
    fetch, root = fetcher
    link = root / "report" / "link.txt"
    link.symlink_to(root / "secret.txt")
    with pytest.raises(RefusedResource):
        fetch.fetch(link.as_uri())


def test_data_urls_are_decoded_locally(fetcher):
    fetch, _ = fetcher
    assert fetch.fetch("data:text/plain;base64,aGk=").read() == b"hi"
