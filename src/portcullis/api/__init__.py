"""The HTTP API: a thin door onto the road, with authentication, roles and problem details."""

from portcullis.api.app import create_app
from portcullis.api.settings import ApiSettings

__all__ = ["ApiSettings", "create_app"]
