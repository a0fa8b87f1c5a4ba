"""Career tools: evidence, tracks, resume, applications, mentorship, certifications."""
