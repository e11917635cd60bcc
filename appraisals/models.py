"""Democratic appraisal of members (domain.md section 3); built in its own issue."""
