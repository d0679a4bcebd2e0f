"""The APIRouter that gathers every web page under /ui, for the application to include."""

from fastapi import APIRouter

from portcullis.web import dashboard, ledger, requests, review, signin, static

router = APIRouter(include_in_schema=False)
for pages in (signin, static, review, requests, dashboard, ledger):
    router.include_router(pages.router)
