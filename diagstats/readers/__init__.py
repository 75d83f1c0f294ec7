"""Multi-reader multi-case (MRMC) reader studies: the Obuchowski-Rockette analysis (``ds.reader_study``)."""

from .study import ReaderStudyResult, reader_study

__all__ = ["ReaderStudyResult", "reader_study"]
