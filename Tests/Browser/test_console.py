"""The operators' console (/console) as its users drive it, in headless Chromium."""
import csv
import datetime
import glob
import io
import json
import os
import random
import re
import uuid

from selenium.webdriver.common.by import By

from conftest import TOKENS, VIETNAM, api, eventually, moment, publish, queue_cell, submit


def test_signing_in_keeps_the_token_out_of_urls_and_scripts(browser):
    browser.open("/console/queues")
    assert "/console/login" in browser.driver.current_url, "a page behind the sign-in sends you to it"
    form = browser.driver.find_element(By.ID, "login")
    assert form.get_attribute("method") == "post"
    browser.sign_in(TOKENS["all"])
    assert "Hạn xử lý" in browser.text("h1")
    cookies = {c["name"]: c for c in browser.driver.get_cookies()}
    session = cookies["motcua_console"]
    assert session["httpOnly"] and session["sameSite"] == "Strict" and session["path"] == "/console"
    assert TOKENS["all"] not in browser.driver.execute_script("return document.cookie"), "HttpOnly"
    browser.open("/console/queues")
    assert "Hàng đợi" in browser.text("h1")


def test_a_queue_depth_follows_submissions(browser, recorder):
    recorder.stop()
    browser.sign_in(TOKENS["all"])
    browser.open("/console/queues")
    before = queue_cell(browser, "motcua.recorder", "ready") or 0
    codes = [submit() for _ in range(5)]

    def risen():
        browser.open("/console/queues")
        return (queue_cell(browser, "motcua.recorder", "ready") or 0) >= before + 5
    eventually(risen, "the recorder queue shows the five waiting dossiers", within=60, every=1)
    browser.shot("queues-waiting")
    recorder.start()

    def drained():
        browser.open("/console/queues")
        return queue_cell(browser, "motcua.recorder", "ready") == 0
    eventually(drained, "the recorder drains its queue", within=60, every=1)
    browser.open(f"/console/dossiers/{codes[-1]}")
    assert "Đã tiếp nhận" in browser.text("#status")


def test_a_dead_letter_is_replayed_with_the_button_and_recorded(browser, recorder):
    recorder.start()
    # A payment for a dossier intake never issued (another system's notice): after the orphan wait
    # the payments worker dead-letters it.
    code = f"000.00.19.H56-200101-{random.randint(10000, 99999)}"
    transaction = f"tx-{uuid.uuid4()}"
    publish("payment.succeeded", code, {"transactionId": transaction, "dossierCode": code, "amountVnd": 100000,
                                        "status": "succeeded", "gateway": "national", "paidAt": moment(minutes=-1)})
    browser.sign_in(TOKENS["all"])

    def dead_lettered():
        browser.open("/console/queues")
        section = browser.driver.find_elements(By.CSS_SELECTOR, 'section.dead-letters[data-queue="motcua.payments"]')
        return section and code in section[0].text
    eventually(dead_lettered, "the payment for a dossier not yet recorded is dead-lettered", within=60, every=1)
    assert "was not recorded" in browser.text('section.dead-letters[data-queue="motcua.payments"]')
    browser.shot("queues-dead-letter")

    # The dossier turns up after all; the operator replays the letter.
    publish("dossier.received", code, {
        "code": code, "procedureCode": "2.000575", "unitCode": "000.00.19.H56", "channel": "direct",
        "applicant": {"personalId": "051095001234", "fullName": "Nguyễn Văn Thử"},
        "components": [{"name": "Giấy đề nghị", "digitized": False}],
        "receivedAt": moment(minutes=-5), "dueAt": moment(days=7)})

    def recorded():
        browser.open(f"/console/dossiers/{code}")
        return browser.driver.find_elements(By.ID, "facts")
    eventually(recorded, "the dossier is recorded", within=60, every=1)
    browser.open("/console/queues")
    browser.driver.find_element(By.CSS_SELECTOR, 'section.dead-letters[data-queue="motcua.payments"] button.replay').click()
    assert re.search(r"Đã gửi lại \d+ thư lỗi của motcua\.payments", browser.text_after_click("#flash"))

    def applied():
        browser.open(f"/console/dossiers/{code}")
        return transaction in browser.text("#payments")
    eventually(applied, "the replayed payment is recorded on the dossier", within=60, every=1)
    assert "100.000" in browser.text("#payments")


def test_an_overdue_dossier_shows_its_printable_apology_letter(browser, recorder):
    recorder.start()
    # Received ten days ago, three working days: long overdue when recorded.
    code = submit(received_at=moment(days=-10))
    browser.sign_in(TOKENS["binhphuoc"])

    def listed():
        browser.open("/console/deadlines?unit=000.00.19.H56&procedure=2.000575")
        rows = browser.driver.find_elements(By.CSS_SELECTOR, "#deadlines tr.overdue")
        return any(code in row.text for row in rows)
    eventually(listed, "the overdue dossier leads the deadlines page", within=60, every=1)
    assert "quá hạn" in browser.text("#deadlines")
    browser.shot("deadlines")
    browser.driver.find_element(By.LINK_TEXT, code).click()

    def lettered():
        browser.driver.refresh()
        return browser.driver.find_elements(By.ID, "letter-link")
    eventually(lettered, "the automatic apology letter is on the dossier", within=60, every=1)
    browser.shot("dossier-overdue")
    browser.driver.find_element(By.ID, "letter-link").click()
    letter = browser.text_after_click("#letter")
    # Received today, under Decree 118/2025: Circular 03/2025's Mẫu 04 (DOMAIN.md §11).
    assert "PHIẾU XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT" in letter and code in letter
    assert "Thông tư 03/2025/TT-VPCP" in letter
    assert re.fullmatch(r"\d+/\d{4}/XL-000\.00\.19\.H56", browser.text("#letter-number"))
    assert "Nguyễn Văn Thử" in letter
    browser.shot("apology-letter")


def test_a_unit_token_cannot_see_another_units_dossier(browser, recorder):
    recorder.start()
    code = submit(unit="000.00.19.H56")
    browser.sign_in(TOKENS["dongson"])
    browser.open(f"/console/dossiers/{code}")
    assert "Không được phép" in browser.text("h1")
    assert "ngoài phạm vi" in browser.text("#message")
    browser.open(f"/console/dossiers/{code}/letter")
    assert "Không được phép" in browser.text("h1")
    browser.open("/console/deadlines")
    assert code not in browser.text("#deadlines")
    # Nor may it pick the other unit as a filter: it sees its own subtree.
    browser.open("/console/deadlines?unit=000.00.19.H56")
    assert code not in browser.text("#deadlines")


def test_a_form_posted_without_the_anti_forgery_token_is_refused(browser):
    browser.sign_in(TOKENS["all"])
    browser.open("/console/queues")
    # The sign-out form, its hidden anti-forgery field removed, as a forged form would come.
    browser.driver.execute_script(
        "document.querySelector('form[action=\"/console/logout\"] input[name=csrf]').remove();"
        "document.querySelector('form[action=\"/console/logout\"]').submit();")
    eventually(lambda: "Yêu cầu bị từ chối" in browser.text("h1"), "the forged form is refused")
    assert "chống giả mạo" in browser.text("#message")
    browser.open("/console/deadlines")
    assert "/console/deadlines" in browser.driver.current_url, "nothing was done: still signed in"
    # A wrong token is refused the same way.
    browser.driver.execute_script(
        "const f = document.querySelector('form[action=\"/console/logout\"]');"
        "f.querySelector('input[name=csrf]').value = '0'.repeat(64); f.submit();")
    eventually(lambda: "Yêu cầu bị từ chối" in browser.text("h1"), "a wrong anti-forgery token is refused")
    # The genuine form works.
    browser.open("/console/deadlines")
    browser.driver.find_element(By.CSS_SELECTOR, 'form[action="/console/logout"] button').click()
    eventually(lambda: "/console/login" in browser.driver.current_url, "signed out")
    browser.open("/console/deadlines")
    assert "/console/login" in browser.driver.current_url


def test_a_stuck_step_is_retried_with_the_button_and_the_group_completes(browser, recorder):
    recorder.start()
    faults = os.environ["MOTCUA_PARTNER_SIM_CONFIG"]  # ops/browser-test starts with the police hanging
    code = submit(procedure="1.001193", channel="online", onlineLevel="full",
                  linkedGroup={"group": "birth", "steps": ["permanent_residence", "health_insurance_card"]})
    browser.sign_in(TOKENS["binhphuoc"])

    def stuck():
        browser.open("/console/linked")
        return browser.driver.find_elements(By.CSS_SELECTOR, f'tr[data-step="{code}/permanent_residence"]')
    eventually(stuck, "the residence step is stuck after its attempts", within=90, every=1)
    row = browser.text(f'tr[data-step="{code}/permanent_residence"]')
    assert "police" in row and "2" in row and "no answer" in row
    browser.shot("linked-stuck")
    with open(faults, "w") as f:
        json.dump({}, f)  # the police recover
    browser.driver.find_element(By.CSS_SELECTOR, f'tr[data-step="{code}/permanent_residence"] button.retry').click()
    assert "Đã gửi lại bước" in browser.text_after_click("#flash")

    def completed():
        browser.open(f"/console/dossiers/{code}")
        return "Đã giải quyết" in browser.text("#status")
    eventually(completed, "the group completes and closes the dossier", within=90, every=1)
    assert "hoàn thành" in browser.text("#linked") and "completed" in browser.text("#linked")
    browser.open("/console/linked")
    assert code not in browser.text("#stuck")


def test_a_report_csv_downloads_and_its_rows_add_up(browser, recorder):
    recorder.start()
    codes = [submit(unit="000.00.19.H56"), submit(unit="000.00.19.H56")]
    # The report's days are Vietnam's: from 17:00 UTC the dossiers are received tomorrow in UTC's terms.
    today = datetime.datetime.now(VIETNAM).date()
    eventually(lambda: all(api("GET", f"/v1/dossiers/{code}")[0] == 200 for code in codes), "both dossiers are recorded")
    browser.sign_in(TOKENS["all"])
    # Since 1/7/2025 Bình Phước is under the province (the district ended: DOMAIN.md §11), so its row is there.
    path = (f"/console/reports?unit=000.00.00.H56&from={(today - datetime.timedelta(days=30)).isoformat()}"
            f"&to={today.isoformat()}&children=true")

    def reported():
        browser.open(path)
        return "UBND xã Bình Phước" in browser.text("#report")
    eventually(reported, "the province report with its communes", within=60, every=1)
    browser.shot("report")
    browser.driver.find_element(By.ID, "csv-link").click()
    files = eventually(lambda: [f for f in glob.glob(os.path.join(browser.downloads, "*.csv"))], "the CSV is downloaded")
    raw = open(files[0], "rb").read()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with a byte order mark"
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    header, total, children = rows[0], rows[1], rows[2:]
    assert total[1].startswith("Tổng cộng") and children
    for column in ("Tổng số tiếp nhận", "Đã giải quyết", "Đang giải quyết", "Trực tiếp"):
        i = header.index(column)
        assert int(total[i]) == sum(int(row[i]) for row in children), column
    assert int(total[header.index("Tổng số tiếp nhận")]) >= len(codes)
