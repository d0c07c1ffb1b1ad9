"""The browser chat page: a static page served by the API itself, no build step and no CDN."""
