"""Clinical labels: the words a reviewer reads in place of the machine names results carry.

Result objects keep their machine names (``to_frame()`` has ``ppv``, ``lr_positive``); only what a
report renders (table headers and cells, figure texts and captions) goes through :func:`relabel`.
A machine name is replaced where it stands as a whole word (``no_tumour vs benign_primary`` ->
``no tumour vs benign primary tumour``); a study id of the form ``author_author_2009`` becomes
``Author Author 2009``; ``mri.sensitivity`` becomes ``MRI sensitivity``. Anything else is kept as
written, so a user's own labels are shown as they are in the data. In a column of study names,
:func:`study_label` also capitalises a lower-case id without a year (``ongkeko`` -> ``Ongkeko``).

>>> relabel("lr_positive"), relabel("no_tumour vs benign_primary"), relabel("buhmann_kirchhoff_2009")
('LR+', 'no tumour vs benign primary tumour', 'Buhmann Kirchhoff 2009')
>>> relabel("log(nlr)"), relabel("bone_scan.specificity"), relabel("sensitivity (CI)")
('log(NLR)', 'bone scan specificity', 'sensitivity (CI)')
"""

from __future__ import annotations

import re

#: Machine name -> clinical label. One table for every report.
LABELS: dict[str, str] = {
    # accuracy measures
    "ppv": "PPV", "npv": "NPV", "lr_positive": "LR+", "lr_negative": "LR\u2212", "dor": "DOR",
    "youden": "Youden's J", "auc": "AUC", "fpr": "false-positive rate", "false_positive_rate": "false-positive rate",
    "tpr": "true-positive rate", "prevalence": "prevalence",
    # diagnoses and groups of the spinal-tumour work-up
    "no_tumour": "no tumour", "benign_primary": "benign primary tumour",
    "malignant_primary": "malignant primary tumour", "true_diagnosis": "true diagnosis", "true_origin": "true origin",
    # blood markers
    "nlr": "NLR", "plr": "PLR", "lmr": "LMR", "sii": "SII",
    # imaging tests
    "xray": "X-ray", "ct": "CT", "mri": "MRI", "pet": "PET", "bone_scan": "bone scan",
    "ct_myelography": "CT myelography",
    # bias-correction methods
    "begg_greenes": "Begg & Greenes", "extended_begg_greenes": "extended Begg & Greenes",
    "ipw": "inverse probability weighting", "multiple_imputation": "multiple imputation",
    "latent_class": "latent class model",
}

_WORD = re.compile(r"(?<![\w.])(" + "|".join(sorted(map(re.escape, LABELS), key=len, reverse=True)) + r")(?![\w])")
_STUDY = re.compile(r"(?<![\w.])([a-z]+(?:_[a-z]+)*)_(\d{4}[a-z]?)(?!\w)")
_MEASURE_OF = re.compile(r"(?<![\w.])([a-z][a-z_]*)\.(sensitivity|specificity)(?!\w)")


def _study(match: re.Match) -> str:
    return " ".join(w.capitalize() for w in match.group(1).split("_")) + " " + match.group(2)


def relabel(text: str) -> str:
    """``text`` with every machine name in :data:`LABELS` and every ``author_2009`` study id replaced."""
    if not isinstance(text, str) or not text:
        return text
    text = _MEASURE_OF.sub(lambda m: f"{m.group(1)} {m.group(2)}", text)
    text = _WORD.sub(lambda m: LABELS[m.group(1)], text)
    return _STUDY.sub(_study, text)


#: Table columns whose cells name studies.
STUDY_COLUMNS = ("study", "studies")
_STUDY_ID = re.compile(r"[a-z]+(?:_[a-z]+)*")


def study_label(text: str) -> str:
    """A study id as a name: ``buhmann_kirchhoff_2009`` -> ``Buhmann Kirchhoff 2009``, ``ongkeko`` -> ``Ongkeko``.

    >>> study_label("ongkeko"), study_label("even_sapir_2006"), study_label("Lee 2013")
    ('Ongkeko', 'Even Sapir 2006', 'Lee 2013')
    """
    if isinstance(text, str) and _STUDY_ID.fullmatch(text):
        return " ".join(w.capitalize() for w in text.split("_"))
    return relabel(text)
