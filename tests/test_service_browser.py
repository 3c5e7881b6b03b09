"""The browser page of ``juesuan serve`` driven in headless Chromium (Debian's chromium and
chromium-driver through Selenium; nothing is downloaded): upload a workbook, see the findings
with their cells, download the processed workbook and the Word document; a bad file gets a
Chinese message.  One Chromium session for the whole module."""

from __future__ import annotations

import shutil
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from service_support import Running, grown_workbook

CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    if not (CHROMIUM and DRIVER):
        pytest.fail("Debian's chromium and chromium-driver are needed for this test (make system-packages)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    downloads = tmp_path_factory.mktemp("downloads")
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"):
        opts.add_argument(arg)
    opts.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                           "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service(DRIVER), options=opts)
    driver.downloads = downloads  # type: ignore[attr-defined]
    yield driver
    driver.quit()


def wait(condition, timeout: float = 120):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError("timed out")


def upload(browser, path: Path) -> str:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    browser.find_element(By.ID, "file").send_keys(str(path))
    return wait(lambda: (t := browser.find_element(By.ID, "status").text) and not t.startswith("正在处理") and t)


def test_upload_a_workbook_see_the_findings_and_download_the_results(svc: Running, browser, filled_reference: Path,
                                                                      tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    book = grown_workbook(filled_reference, tmp_path / "部门决算.xlsx")
    before = book.read_bytes()
    browser.get(svc.page)
    assert browser.title == "决算公开助手"
    browser.find_element(By.ID, "pdf").click()  # Word only: the PDF path is tested through the WPS add-in
    status = upload(browser, book)
    assert status.startswith("完成") and "校验完成" in status, status
    rows = browser.find_elements(By.CSS_SELECTOR, "#findings tbody tr")
    summary = browser.find_element(By.ID, "summary").text
    errors = [r for r in rows if r.get_attribute("class") == "error"]
    assert f"错误 {len(errors)} 个" in summary and errors
    assert all("!" in r.find_elements(By.TAG_NAME, "td")[4].text for r in errors)  # each error names its cells
    buttons = browser.find_elements(By.CSS_SELECTOR, "button.download")
    assert sorted(b.get_attribute("data-kind") for b in buttons) == ["docx", "xlsx"]
    for b in buttons:
        b.click()
    names = {"部门决算_已处理.xlsx", "部门决算_决算公开.docx"}
    wait(lambda: {p.name for p in browser.downloads.iterdir()} >= names)
    wait(lambda: not any(p.suffix == ".crdownload" for p in browser.downloads.iterdir()))
    wb = openpyxl.load_workbook(browser.downloads / "部门决算_已处理.xlsx")
    assert {"校验结果", "决算情况说明"} <= set(wb.sheetnames)
    report = wb["校验结果"]
    assert sum(1 for r in report.iter_rows(min_row=5, values_only=True) if r[2] == "错误") == len(errors)
    with zipfile.ZipFile(browser.downloads / "部门决算_决算公开.docx") as z:
        assert "收入支出决算总表" in z.read("word/document.xml").decode("utf-8")
    assert book.read_bytes() == before  # the user's file is untouched


def test_a_file_that_is_not_a_workbook_gets_a_chinese_message(svc: Running, browser, tmp_path: Path) -> None:
    bad = tmp_path / "不是工作簿.xlsx"
    bad.write_bytes(b"plain text, not a zip")
    browser.get(svc.page)
    status = upload(browser, bad)
    assert status.startswith("无法处理") and "不是有效的 .xlsx" in status and "不是工作簿.xlsx" in status


def test_the_page_without_its_token_says_where_to_open_it(svc: Running, browser) -> None:
    from selenium.webdriver.common.by import By

    browser.get(svc.base + "/")
    assert "juesuan serve" in browser.find_element(By.TAG_NAME, "body").text
