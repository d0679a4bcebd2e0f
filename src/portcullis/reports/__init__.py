"""Reports built from the accounting: the export, the annual report, the demo run report."""
