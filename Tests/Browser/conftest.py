"""Fixtures of the console's browser tests: a headless Chromium per test, signed in or not, the
intake's HTTP API for submissions, and the recorder the tests start when they want it.

Run by ops/browser-test (which starts intake and workers on a database and vhost of their own);
every wait polls with a deadline, never sleeps for a fixed time."""
import base64
import datetime
import json
import os
import re
import subprocess
import time
import urllib.parse
import urllib.request
import uuid

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

BASE = os.environ["MOTCUA_CONSOLE_BASE"]
SHOTS = os.environ["MOTCUA_SCREENSHOTS"]
WORK = os.environ["MOTCUA_BROWSER_WORK"]
TOKENS = {"all": "all-token", "binhphuoc": "binhphuoc-token", "dongson": "dongson-token"}
VIETNAM = datetime.timezone(datetime.timedelta(hours=7))


def eventually(condition, what, within=60.0, every=0.25):
    """Polls `condition` until it returns a true value, which it returns; fails after `within` s."""
    deadline = time.monotonic() + within
    while True:
        try:
            value = condition()
            if value:
                return value
        except Exception:  # a page mid-reload, a connection refused: look again
            if time.monotonic() >= deadline:
                raise
        if time.monotonic() >= deadline:
            raise AssertionError(f"{what}: not within {within} s")
        time.sleep(every)


class Browser:
    """One headless Chromium, remembering every URL it was sent to (none may hold a token)."""

    def __init__(self, downloads):
        options = webdriver.ChromeOptions()
        for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000",
                         "--lang=vi-VN"):
            options.add_argument(argument)
        options.add_experimental_option("prefs", {"download.default_directory": downloads,
                                                  "download.prompt_for_download": False})
        self.downloads = downloads
        self.driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        self.visited = []

    def open(self, path):
        self.driver.get(BASE + path)
        self.visited.append(self.driver.current_url)

    def sign_in(self, token):
        self.open("/console/login")
        self.driver.find_element(By.ID, "token").send_keys(token)
        self.driver.find_element(By.CSS_SELECTOR, "#login button").click()
        eventually(lambda: "/console/deadlines" in self.driver.current_url, "signed in")
        self.visited.append(self.driver.current_url)

    def text(self, selector="body"):
        return self.driver.find_element(By.CSS_SELECTOR, selector).text

    def text_after_click(self, selector, within=30.0):
        """The text of `selector` on the page a click leads to: the click may return while the form's
        answer is still on its way, so the element is looked for until it is there."""
        return eventually(lambda: self.driver.find_element(By.CSS_SELECTOR, selector).text,
                          f"{selector} on the page after the click", within=within, every=0.2)

    def shot(self, name):
        os.makedirs(SHOTS, exist_ok=True)
        self.driver.save_screenshot(os.path.join(SHOTS, f"{name}.png"))

    def quit(self):
        self.driver.quit()


@pytest.fixture
def browser(request, tmp_path):
    b = Browser(str(tmp_path))
    yield b
    b.shot(request.node.name)
    # The token is never in a URL, whatever the test did.
    for url in b.visited + [b.driver.current_url]:
        assert not any(token in url for token in TOKENS.values()), url
    b.quit()


def api(method, path, body=None, token=TOKENS["all"]):
    """intake's HTTP API as an integrator calls it; returns (status, JSON answer)."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(BASE + path, data=data, method=method,
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def publish(routing_key, subject, data):
    """A CloudEvent straight onto motcua.events through the management API, as another system would
    publish it: for what intake would refuse (a payment for a dossier it never issued)."""
    api_url = urllib.parse.urlsplit(os.environ["MOTCUA_RABBITMQ_API_URL"])
    vhost = urllib.parse.quote(os.environ["MOTCUA_BROWSER_VHOST"], safe="")
    event = {"specversion": "1.0", "id": str(uuid.uuid4()), "source": "/motcua/intake",
             "type": "vn.motcua." + routing_key, "time": moment(), "subject": subject,
             "datacontenttype": "application/json", "data": data}
    body = {"properties": {"message_id": event["id"], "content_type": "application/cloudevents+json",
                           "delivery_mode": 2, "type": event["type"]},
            "routing_key": routing_key, "payload": json.dumps(event), "payload_encoding": "string"}
    request = urllib.request.Request(f"http://{api_url.hostname}:{api_url.port}/api/exchanges/{vhost}/motcua.events/publish",
                                     data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json", "Authorization": "Basic " + base64.b64encode(
                                         f"{api_url.username}:{api_url.password}".encode()).decode()})
    with urllib.request.urlopen(request, timeout=15) as response:
        assert json.loads(response.read())["routed"], routing_key


def moment(days=0, minutes=0):
    now = datetime.datetime.now(VIETNAM).replace(microsecond=0)
    return (now + datetime.timedelta(days=days, minutes=minutes)).isoformat()


def submit(unit="000.00.19.H56", received_at=None, procedure="2.000575", **extra):
    """A dossier through intake; returns its code."""
    body = {"procedureCode": procedure, "unitCode": unit, "channel": "direct",
            "applicant": {"personalId": "051095001234", "fullName": "Nguyễn Văn Thử", "phone": "0905000000"},
            "components": [{"name": "Giấy đề nghị", "digitized": False}],
            "idempotencyKey": f"browser-{uuid.uuid4()}"}
    if received_at:
        body["receivedAt"] = received_at
    body.update(extra)
    status, answer = api("POST", "/v1/dossiers", body)
    assert status == 202, answer
    return answer["code"]


class Recorder:
    """The recorder, which the workers ops/browser-test started lack: tests start it, or stop it
    (gracefully, so it acks what it recorded) to hold dossiers in its queue."""

    def __init__(self):
        self.process = None

    def start(self):
        if self.process is None:
            log = open(os.path.join(WORK, "recorder.log"), "a")
            self.process = subprocess.Popen([os.path.join(os.environ["MOTCUA_BIN_DIR"], "motcua-workers"),
                                             "--role", "recorder"], stdout=log, stderr=subprocess.STDOUT)

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)
            self.process = None


@pytest.fixture(scope="session")
def recorder():
    r = Recorder()
    yield r
    r.stop()


def queue_cell(browser, queue, column):
    """A figure of the queues page, as an int (None for a dash)."""
    cell = browser.driver.find_element(By.CSS_SELECTOR, f'tr[data-queue="{queue}"] td.{column}').text
    digits = re.sub(r"\D", "", cell)
    return int(digits) if digits else None
