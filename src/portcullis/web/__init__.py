"""Server-rendered pages for reviewers, oversight and auditors, mounted on the API as one router."""

from portcullis.web.router import router

__all__ = ["router"]
