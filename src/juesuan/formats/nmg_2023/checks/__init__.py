"""nmg-2023's check functions: relations that name its tables (W…, X…, S-8)."""
