"""Practice: the problem bank, mock interviews graded against hidden scenarios."""
