"""The shipped nginx configuration (deploy/nginx/) is valid for Debian's nginx."""

import stack


def test_the_shipped_site_with_its_https_server_passes_nginx_t(nginx, openssl, tmp_path):
    main = stack.render_site(
        tmp_path, var_dir=tmp_path / "var", port=stack.free_port(), tls_port=stack.free_port()
    )
    result = stack.nginx_check(main)
    assert result.returncode == 0, result.stderr
    site = (tmp_path / "site.conf").read_text()
    assert "ssl_certificate" in site and "return 301 https://" in site


def test_the_loopback_rendering_used_by_tests_and_benchmarks_passes_nginx_t(nginx, tmp_path):
    main = stack.render_site(tmp_path, var_dir=tmp_path / "var", port=stack.free_port())
    result = stack.nginx_check(main)
    assert result.returncode == 0, result.stderr
    locations = (tmp_path / "snippets" / "willkommen.conf").read_text()
    assert f"root {tmp_path / 'var'};" in locations  # static files from STATIC_ROOT


def test_a_changed_production_path_is_noticed_not_silently_kept(tmp_path, monkeypatch):
    """The rendering replaces known production values; one the file lost fails loudly."""
    monkeypatch.setattr(stack, "WEB_SOCKET", "unix:/nowhere.sock")
    try:
        stack.render_site(tmp_path, var_dir=tmp_path, port=1)
    except ValueError as error:
        assert "unix:/nowhere.sock" in str(error)
    else:
        raise AssertionError("rendering went on without the upstream it replaces")
