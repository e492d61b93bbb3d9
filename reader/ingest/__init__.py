"""Reading what is on disk into articles: format sniffing and one reader per format."""
