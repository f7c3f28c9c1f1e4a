"""A client library for accessing Clio Manage API v4, calendar subset"""

from .client import AuthenticatedClient, Client

__all__ = (
    "AuthenticatedClient",
    "Client",
)
