"""gunicorn reads this file from the directory it is started in (docs/deployment.md).

gunicorn sends `Server: gunicorn` on every response and has no setting for it; naming the
software tells a scanner which exploits to try. The header says SERVER_HEADER instead.
"""

import os

import gunicorn.http.wsgi

gunicorn.http.wsgi.SERVER = os.environ.get("SERVER_HEADER", "web")
