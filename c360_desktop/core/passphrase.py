"""Passphrase strength: zxcvbn's estimate, explained in words for the strength meter."""

from __future__ import annotations

from dataclasses import dataclass

from zxcvbn import zxcvbn

from .errors import WeakPassphrase

MIN_LENGTH = 10
MIN_SCORE = 3  # zxcvbn: 3 = "safely unguessable", ~10^8 guesses offline with a slow hash
LABELS = ("Very weak", "Weak", "Fair", "Strong", "Very strong")


@dataclass(frozen=True)
class Strength:
    score: int  # 0..4
    label: str
    acceptable: bool
    advice: str


def assess(passphrase: str) -> Strength:
    if not passphrase:
        return Strength(0, LABELS[0], False, "Enter a passphrase.")
    result = zxcvbn(passphrase[:100])
    score = int(result["score"])
    feedback = result.get("feedback") or {}
    hints = [feedback.get("warning") or ""] + list(feedback.get("suggestions") or [])
    advice = " ".join(h for h in hints if h)
    if len(passphrase) < MIN_LENGTH:
        return Strength(min(score, 1), LABELS[min(score, 1)], False,
                        f"Use at least {MIN_LENGTH} characters; a few unrelated words work well.")
    if score < MIN_SCORE:
        return Strength(score, LABELS[score], False, advice or "Too easy to guess: add another uncommon word or two.")
    return Strength(score, LABELS[score], True, advice or "Good: this passphrase is hard to guess.")


def require_strong(passphrase: str) -> None:
    strength = assess(passphrase)
    if not strength.acceptable:
        raise WeakPassphrase(f"That passphrase is too weak ({strength.label.lower()}). {strength.advice}")
