"""Everything outside the core: platform adapters, the application shell and developer tools."""
