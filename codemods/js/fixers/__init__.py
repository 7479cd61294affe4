"""One module per rewrite concern of the JavaScript/TypeScript front-end (see ``base``)."""
