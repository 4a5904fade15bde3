"""Plain-English measures for English text: sentences, words, syllables, Flesch reading ease.

Flesch reading ease = 206.835 − 1.015 × (words / sentences) − 84.6 × (syllables / words).
60 and above reads as plain English; below 30 is very difficult. The syllable count is a
rule-of-thumb (vowel groups, with the common silent endings removed), good to about one
syllable in ten on everyday English — enough for a warning, never for a verdict.
"""

from __future__ import annotations

import re

# Abbreviations whose full stop does not end a sentence.
ABBREVIATIONS = ("e.g.", "i.e.", "etc.", "Dr.", "Mr.", "Mrs.", "Ms.", "St.", "No.", "vs.", "approx.", "incl.")
SENTENCE_END = re.compile(r"(?<=[.!?])[\"'’”)]*\s+(?=[\"'‘“(]?[A-Z0-9£])")
WORD = re.compile(r"[A-Za-z0-9£$%][\w'’%£$.,-]*")
MIN_WORDS_FOR_EASE = 30  # shorter texts give unstable scores


def sentences(text: str) -> list[str]:
    protected = text
    for abbreviation in ABBREVIATIONS:
        protected = protected.replace(abbreviation, abbreviation.replace(".", "\0"))
    return [s.replace("\0", ".").strip() for s in SENTENCE_END.split(protected) if s.strip()]


def words(text: str) -> list[str]:
    return WORD.findall(text)


def syllables(word: str) -> int:
    letters = re.sub(r"[^a-z]", "", word.lower())
    if not letters:
        return 1  # a number or a symbol is read as (at least) one syllable
    if len(letters) <= 3:
        return 1
    letters = re.sub(r"(?:[^laeiouy]es|ed|[^laeiouy]e)$", "", letters)  # silent endings: makes, used, made
    letters = re.sub(r"^y", "", letters)
    return max(1, len(re.findall(r"[aeiouy]+", letters)))


def flesch_reading_ease(text: str) -> float | None:
    """The score of a text, or None when it is too short to judge."""
    found = words(text)
    if len(found) < MIN_WORDS_FOR_EASE:
        return None
    count = max(1, len(sentences(text)))
    total = sum(syllables(w) for w in found)
    return 206.835 - 1.015 * (len(found) / count) - 84.6 * (total / len(found))
