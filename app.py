"""The portal's entry point.

    flask --app app db upgrade | seed-demo | users create ... | tokens create ... | boards import ...
    python app.py        serves on PORTAL_HOST:PORTAL_PORT (default 127.0.0.1:5000) with waitress
"""

from portal import create_app, start_worker

app = create_app()

if __name__ == "__main__":
    from waitress import serve

    from portal.ops import logs

    logs.configure(app.config["LOG_FORMAT"])  # one line per request and per job, JSON by default
    start_worker(app)  # validation threads and warm Arelle workers beside the web server
    print(f"Verantwoordingsportaal on http://{app.config['HOST']}:{app.config['PORT']}/  (instance: {app.instance_path})")
    serve(app, host=app.config["HOST"], port=app.config["PORT"], threads=app.config["WEB_THREADS"])
