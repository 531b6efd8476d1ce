"""The citizens' pages in headless Chromium: the printable receipt and its QR code, read back by a real
decoder (zxing-cpp) from the page as Chromium draws it, and the lookup page it opens."""
import io
import os

import zxingcpp
from PIL import Image
from selenium.webdriver.common.by import By

from conftest import BASE, SHOTS, TOKENS, eventually, submit


def decoded_qr(browser):
    """The text of the QR code on the page, from a screenshot of it."""
    element = browser.driver.find_element(By.CSS_SELECTOR, "#qr svg")
    browser.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    image = Image.open(io.BytesIO(element.screenshot_as_png))
    results = zxingcpp.read_barcodes(image)
    assert len(results) == 1, f"one QR code on the receipt, found {len(results)}"
    assert results[0].format == zxingcpp.BarcodeFormat.QRCode
    return results[0].text


def look_up(browser, digits):
    field = browser.driver.find_element(By.ID, "so4")
    field.clear()
    field.send_keys(digits)
    browser.driver.find_element(By.CSS_SELECTOR, "#lookup button").click()


def test_the_receipt_is_printed_from_the_dossier_and_its_qr_code_opens_the_lookup_page(browser, recorder):
    recorder.start()
    code = submit()
    browser.sign_in(TOKENS["binhphuoc"])

    def recorded():
        browser.open(f"/console/dossiers/{code}")
        return browser.driver.find_elements(By.ID, "receipt-link")
    eventually(recorded, "the dossier's page with its receipt button", within=60, every=1)
    link = browser.driver.find_element(By.ID, "receipt-link")
    assert link.text == "In giấy tiếp nhận"
    link.click()
    receipt = browser.text_after_click("#receipt")
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in receipt
    assert "Mẫu số 01 (Thông tư 03/2025/TT-VPCP)" in receipt
    assert browser.text("#code") == code and browser.text("#applicant") == "Nguyễn Văn Thử"
    assert "Giấy đề nghị" in browser.text("#components")
    assert "051095001234" not in receipt and "0905000000" not in receipt
    url = decoded_qr(browser)
    assert url == f"{BASE}/tra-cuu?ma={code}", url
    browser.driver.set_window_size(1000, 1500)
    browser.shot("receipt")

    # The citizen's phone opens the address: the code is filled in, the digits are asked for.
    browser.driver.set_window_size(420, 860)
    browser.driver.get(url)
    assert browser.driver.find_element(By.ID, "ma").get_attribute("value") == code
    assert not browser.driver.find_elements(By.ID, "answer")
    look_up(browser, "1234")
    answer = browser.text_after_click("#answer")
    assert "Đã tiếp nhận" in answer and "Hẹn trả kết quả" in answer and "Trong hạn" in answer
    assert "Nguyễn Văn Thử" not in browser.text(), "nothing about the applicant the citizen did not type"
    browser.shot("tra-cuu")


def test_the_lookup_page_refuses_a_wrong_pair_as_it_refuses_an_unknown_code(browser):
    code = submit()
    unknown = code[:-4] + "9999"
    browser.driver.set_window_size(420, 860)
    browser.open(f"/tra-cuu?ma={code}")
    look_up(browser, "9999")
    wrong_pair = browser.text_after_click("#problem")
    assert not browser.driver.find_elements(By.ID, "answer")
    browser.open(f"/tra-cuu?ma={unknown}")
    look_up(browser, "1234")
    assert browser.text_after_click("#problem") == wrong_pair
    assert "Không tìm thấy hồ sơ" in wrong_pair
    browser.shot("tra-cuu-refused")

    # Bad input is named field by field, in Vietnamese.
    browser.open("/tra-cuu?ma=abc&so4=12")
    errors = browser.text("#errors")
    assert "Mã hồ sơ: không đúng dạng" in errors and "4 số cuối số định danh cá nhân" in errors
