"""The state database: programs, requests, items, decisions, reviews, the ledger, users."""
