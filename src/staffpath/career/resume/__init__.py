"""The resume: a JSON Resume master (``model``), tailored variants (``variant``), the keyword
gap against a job posting (``keywords``), PDF through Typst (``pdf``), the ATS round trip
(``ats``) and the RenderCV export (``rendercv``). Pure logic; files are read only by the
``load_*`` helpers, which take a path."""
