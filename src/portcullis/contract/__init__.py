"""Record schemas and readers for the files of CONTRACT.md."""
