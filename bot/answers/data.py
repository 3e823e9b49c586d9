"""The data fact retrieval uses, read and validated on first use (never at import).

- data/knowledge/fact_questions.yml: the questions each fact answers (3 to 6 per fact,
  every fact of facts.yml listed);
- data/knowledge/signals.yml: the words that show a message is about NATO and a myth, and
  the words that make it a question (`questions`);
- data/knowledge/myth_words.yml: more such words per myth and language, learnt from the
  intent examples by `make myth-words` (bot/answers/myth_words.py);
- data/nlu/questions.yml: `ask_fact` examples whose metadata names the facts they ask for;
- data/nlp/synonyms.yml: words indexed and searched as one.

In another language the same data comes from that language: its facts and questions per
fact (data/knowledge/i18n/<lang>.yml, `fact_questions`, `signals`), its `ask_fact` examples
(data/nlu/<lang>/questions.yml) and its spaCy pipeline; it has no synonyms list.

A problem is reported like the knowledge base's: ``<file>: entry '<id>': field '<f>': ...``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union

import yaml

from bot.knowledge import Knowledge, KnowledgeError, load_content, project_root
from bot.answers.retrieval import Analysis, Analyse, FactFinder
from bot.answers.unanswered import UnansweredFinder

MIN_QUESTIONS, MAX_QUESTIONS = 3, 6
FACT_INTENT = "ask_fact"


def _read(path: Path) -> Any:
    try:
        return yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise KnowledgeError([f"{path}: entry '-': field '-': cannot be read ({exc})"]) from exc


def load_fact_questions(path: Path, kb: Knowledge) -> Dict[str, Tuple[str, ...]]:
    """Questions per fact id; every fact of ``kb`` must have MIN_QUESTIONS..MAX_QUESTIONS."""
    doc = _read(path)
    problems: List[str] = []
    entries = doc.get("fact_questions") if isinstance(doc, dict) else None
    if not isinstance(entries, dict):
        raise KnowledgeError([f"{path}: entry '-': field 'fact_questions': must map fact ids to questions"])
    out: Dict[str, Tuple[str, ...]] = {}
    for fid, questions in entries.items():
        where = f"{path}: entry '{fid}': field 'questions'"
        if fid not in kb.facts:
            problems.append(f"{path}: entry '{fid}': field 'id': not a fact id in facts.yml")
            continue
        if not isinstance(questions, list) or not all(isinstance(q, str) and q.strip() for q in questions):
            problems.append(f"{where}: must be a list of non-empty strings")
            continue
        if not MIN_QUESTIONS <= len(questions) <= MAX_QUESTIONS:
            problems.append(f"{where}: has {len(questions)} questions, needs {MIN_QUESTIONS} to {MAX_QUESTIONS}")
        out[fid] = tuple(q.strip() for q in questions)
    for fid in kb.facts:
        if fid not in entries:
            problems.append(f"{path}: entry '{fid}': field 'questions': missing; every fact needs its questions")
    if problems:
        raise KnowledgeError(problems)
    return out


def load_fact_examples(path: Path, kb: Knowledge) -> List[Tuple[str, Tuple[str, ...]]]:
    """(text, fact ids) of every `ask_fact` example; () marks a question no fact answers."""
    doc = _read(path)
    out: List[Tuple[str, Tuple[str, ...]]] = []
    problems: List[str] = []
    for n, block in enumerate((doc or {}).get("nlu") or [], start=1):
        if not isinstance(block, dict) or block.get("intent") != FACT_INTENT:
            continue
        facts = ((block.get("metadata") or {}).get("facts"))
        if not isinstance(facts, list):
            problems.append(f"{path}: entry 'block {n}': field 'metadata.facts': must list fact ids (or be [])")
            continue
        unknown = [f for f in facts if f not in kb.facts]
        if unknown:
            problems.append(f"{path}: entry 'block {n}': field 'metadata.facts': unknown facts {unknown}")
        for line in str(block.get("examples") or "").splitlines():
            line = line.strip()
            if line.startswith("- "):
                out.append((line[2:].strip(), tuple(facts)))
    if problems:
        raise KnowledgeError(problems)
    return out


def load_synonyms(path: Path) -> Dict[str, str]:
    """Each word of a group mapped to the group's first word."""
    doc = _read(path)
    groups = doc.get("synonyms") if isinstance(doc, dict) else None
    if not isinstance(groups, list):
        raise KnowledgeError([f"{path}: entry '-': field 'synonyms': must be a list of word lists"])
    out: Dict[str, str] = {}
    for n, group in enumerate(groups, start=1):
        if not isinstance(group, list) or not group:
            raise KnowledgeError([f"{path}: entry 'group {n}': field 'synonyms': must be a non-empty list"])
        for word in group:
            out.setdefault(str(word).lower(), str(group[0]).lower())
    return out


@dataclass(frozen=True)
class QuestionWords:
    """The words of a language that make a message a question (signals.yml `questions`):
    - kept: question words indexed although they are stop words ("when" and "how many"
      tell a date question from a figure question);
    - starts: first words of a question ("did", "is"), besides a final question mark;
    - wh: first words of a question asking for information ("when", "who"), not a verdict;
    - lead_in: words that may come before them ("so when did...", "ok and who...");
    - claim_checks: openings that ask to check a claim ("is it true that..."), not a question."""

    kept: frozenset = frozenset()
    starts: frozenset = frozenset()
    wh: frozenset = frozenset()
    lead_in: frozenset = frozenset()
    claim_checks: Tuple[Tuple[str, ...], ...] = ()


QUESTION_FIELDS = ("kept", "starts", "wh", "lead_in", "claim_checks")


@dataclass(frozen=True)
class Signals:
    """Patterns (tuples of words, a trailing * a prefix) that show a message is about NATO
    (`nato`) or about one myth (`myths`), and the language's question words."""

    nato: Tuple[Tuple[str, ...], ...]
    myths: Mapping[str, Tuple[Tuple[str, ...], ...]]
    questions: QuestionWords = QuestionWords()


def _patterns(raw: Any, where: str, problems: List[str]) -> Tuple[Tuple[str, ...], ...]:
    if not isinstance(raw, list) or not raw or not all(isinstance(p, str) and p.strip() for p in raw):
        problems.append(f"{where}: must be a non-empty list of words or phrases")
        return ()
    return tuple(tuple(p.lower().split()) for p in raw)


def load_signals(path: Path, kb: Knowledge) -> Signals:
    return signals_from(_read(path), str(path), kb)


def signals_from(doc: Any, path: str, kb: Knowledge) -> Signals:
    problems: List[str] = []
    if not isinstance(doc, dict):
        raise KnowledgeError([f"{path}: entry '-': field '-': must hold `nato` and `myths`"])
    nato = _patterns(doc.get("nato"), f"{path}: entry 'nato': field 'nato'", problems)
    raw_myths = doc.get("myths") if isinstance(doc.get("myths"), dict) else {}
    myths = {}
    for mid in kb.myths:
        if mid not in raw_myths:
            problems.append(f"{path}: entry '{mid}': field 'myths': missing; every myth needs its signals")
        else:
            myths[mid] = _patterns(raw_myths[mid], f"{path}: entry '{mid}': field 'myths'", problems)
    for mid in raw_myths:
        if mid not in kb.myths:
            problems.append(f"{path}: entry '{mid}': field 'myths': not a myth id")
    raw_questions = doc.get("questions") if isinstance(doc.get("questions"), dict) else {}
    lists = {}
    for name in QUESTION_FIELDS:
        where = f"{path}: entry 'questions': field '{name}'"
        lists[name] = _patterns(raw_questions.get(name), where, problems)
        if name != "claim_checks" and any(len(p) > 1 for p in lists[name]):
            problems.append(f"{where}: must list single words")
    if problems:
        raise KnowledgeError(problems)
    words = {name: frozenset(p[0] for p in lists[name]) for name in QUESTION_FIELDS if name != "claim_checks"}
    return Signals(nato, myths, QuestionWords(claim_checks=lists["claim_checks"], **words))


def with_words(signals: Signals, words: Mapping[str, Sequence[str]]) -> Signals:
    """The signals with more single words per myth (bot/answers/myth_words.py)."""
    myths = {mid: tuple(pats) + tuple((w,) for w in words.get(mid, ()) if (w,) not in pats)
             for mid, pats in signals.myths.items()}
    return Signals(signals.nato, myths, signals.questions)


def intent_examples(directory: Path) -> List[Tuple[str, str]]:
    """(text, intent) of every example in the Rasa NLU files of ``directory``."""
    out = []
    for path in sorted(Path(directory).glob("*.yml")):
        for block in (_read(path) or {}).get("nlu") or []:
            for line in str(block.get("examples") or "").splitlines():
                if line.strip().startswith("- ") and block.get("intent"):
                    out.append((line.strip()[2:].strip(), block["intent"]))
    return out


def _word_match(pattern: str, word: str) -> bool:
    return word.startswith(pattern[:-1]) if pattern.endswith("*") else word == pattern


def matches(patterns: Sequence[Tuple[str, ...]], sequences: Sequence[Sequence[str]]) -> bool:
    """Whether any pattern occurs, word after word, in any of the sequences."""
    for seq in sequences:
        for pattern in patterns:
            n = len(pattern)
            for i in range(len(seq) - n + 1):
                if all(_word_match(p, w) for p, w in zip(pattern, seq[i:i + n])):
                    return True
    return False


def spacy_analyser(nlp, synonyms: Mapping[str, str], questions: QuestionWords = QuestionWords()) -> Analyse:
    """An `Analyse` backed by the project's spaCy pipeline (lemmas and entity ruler), with
    the language's question words. A clitic split off a word ("-ce" of "qu'est-ce") is no term."""
    year = re.compile(r"^(19|20)\d\d$")

    def analyse(text: str) -> Analysis:
        doc = nlp(str(text))
        tokens = [t for t in doc if not (t.is_punct or t.is_space)]
        terms = [(t.lemma_ or t.text).lower() for t in tokens
                 if (not t.is_stop or t.lower_ in questions.kept) and not t.text.startswith("-")]
        entities = [e.ent_id_ or (e.text if year.match(e.text) else "") for e in doc.ents]
        words = tuple(t.lower_ for t in tokens)
        opening = list(words[:3])  # the first words after a "so" or an "ok and"
        while opening and opening[0] in questions.lead_in:
            opening.pop(0)
        asks = bool(words) and ((bool(opening) and opening[0] in questions.starts) or str(text).rstrip().endswith("?"))
        checks = any(words[:len(c)] == c for c in questions.claim_checks)
        return Analysis(
            terms=tuple(synonyms.get(t, t) for t in terms),
            entities=tuple(dict.fromkeys(e for e in entities if e)),
            tokens=tuple((t.lemma_ or t.text).lower() for t in tokens),
            words=words,
            question=asks and not checks,
            wh=asks and not checks and bool(opening) and opening[0] in questions.wh,
        )
    return analyse


@dataclass(frozen=True)
class Retrieval:
    finder: FactFinder
    signals: Signals
    analyse: Analyse
    unanswered: Optional[UnansweredFinder] = None  # the labelled questions no fact answers

    def warm(self) -> None:
        """Build the indexes now (start-up) rather than on the first question."""
        self.finder.index()
        if self.unanswered is not None:
            self.unanswered.index()


def paths(root: Union[str, Path, None] = None, language: str = "en") -> Dict[str, Path]:
    base = project_root(root)
    nlu = base / "data" / "nlu" if language == "en" else base / "data" / "nlu" / language
    return {
        "fact_questions": base / "data" / "knowledge" / "fact_questions.yml",
        "signals": base / "data" / "knowledge" / "signals.yml",
        "examples": nlu / "questions.yml",
        "synonyms": base / "data" / "nlp" / "synonyms.yml",
        "myth_words": base / "data" / "knowledge" / "myth_words.yml",
        "intents": nlu,
        "translation": base / "data" / "knowledge" / "i18n" / f"{language}.yml",
    }


MYTH_WORDS_KEY = "languages"


def load_myth_words(path: Path, kb: Knowledge, language: str) -> Dict[str, Tuple[str, ...]]:
    """The learnt words per myth of one language; {} when the file or the language is absent."""
    if not Path(path).exists():
        return {}
    doc = _read(path)
    languages = doc.get(MYTH_WORDS_KEY) if isinstance(doc, dict) else None
    if not isinstance(languages, dict):
        raise KnowledgeError([f"{path}: entry '-': field '{MYTH_WORDS_KEY}': must map languages to words per myth"])
    raw = languages.get(language) or {}
    problems: List[str] = []
    out: Dict[str, Tuple[str, ...]] = {}
    for mid, words in (raw.items() if isinstance(raw, dict) else ()):
        where = f"{path} ({language}): entry '{mid}': field 'words'"
        if mid not in kb.myths:
            problems.append(f"{path} ({language}): entry '{mid}': field 'id': not a myth id")
        elif not isinstance(words, list) or not all(isinstance(w, str) and w.strip() and " " not in w for w in words):
            problems.append(f"{where}: must be a list of single words")
        else:
            out[mid] = tuple(w.lower() for w in words)
    if not isinstance(raw, dict):
        problems.append(f"{path} ({language}): entry '{language}': field 'words': must map myth ids to words")
    if problems:
        raise KnowledgeError(problems)
    return out


def language_data(root: Path, language: str, learnt: bool = True):
    """(knowledge, questions per fact, signals, labelled examples, synonyms) of a language;
    the signals without the learnt words of myth_words.yml when not ``learnt``."""
    content = load_content(root)
    p = paths(root, language)
    if language == "en" or language not in content.translations:
        code, kb = "en", content.kb
        questions, signals = load_fact_questions(p["fact_questions"], kb), load_signals(p["signals"], kb)
        examples, synonyms = load_fact_examples(p["examples"], kb), load_synonyms(p["synonyms"])
    else:
        tr, code, kb = content.translations[language], language, content.for_language(language).kb
        questions, signals = dict(tr.fact_questions), signals_from(tr.signals, str(p["translation"]), kb)
        examples, synonyms = (load_fact_examples(p["examples"], kb) if p["examples"].exists() else []), {}
    if learnt:
        signals = with_words(signals, load_myth_words(p["myth_words"], kb, code))
    return kb, questions, signals, examples, synonyms


def language_pipeline(root: Path, language: str) -> str:
    """The spaCy pipeline a language is read with: its own when built, else the English one."""
    from bot.nlu.pipeline import pipeline_path, pipelines_dir

    own = pipelines_dir(root) / language
    return str(own if language != "en" and (own / "meta.json").exists() else pipeline_path(root))


def learnt_myth_words(root: Union[str, Path, None] = None) -> Dict[str, Dict[str, List[str]]]:
    """Per language and myth, the words myth_words.py learns from that language's intent
    examples (data/nlu/, data/nlu/<lang>/), analysed by its pipeline: what `make myth-words` writes."""
    from bot.answers import myth_words

    base = project_root(root).resolve()
    out: Dict[str, Dict[str, List[str]]] = {}
    for language in load_content(base).codes or ("en",):
        retrieval = load_retrieval(base, language=language)
        counts = myth_words.analysed(intent_examples(paths(base, language)["intents"]), retrieval.analyse)
        out[language] = {mid: list(words) for mid, words in myth_words.learn(counts, retrieval.finder.kb.myths).items()}
    return out


def check(kb: Knowledge, root: Union[str, Path, None] = None) -> None:
    """Validate the retrieval data of every language (raises KnowledgeError); used by `make check`."""
    base = project_root(root).resolve()
    for language in load_content(base).codes or ("en",):
        language_data(base, language)


@lru_cache(maxsize=8)
def _load(root: Path, nlp_path: Optional[str], language: str) -> Retrieval:
    from bot.nlu.pipeline import load_pipeline

    kb, questions, signals, examples, synonyms = language_data(root, language)
    analyse = spacy_analyser(load_pipeline(nlp_path or language_pipeline(root, language)), synonyms, signals.questions)
    unanswered = UnansweredFinder(analyse, [text for text, facts in examples if not facts],
                                  [q for qs in questions.values() for q in qs] + [t for t, f in examples if f])
    return Retrieval(FactFinder(kb, analyse, questions, examples), signals, analyse, unanswered)


def load_retrieval(root: Union[str, Path, None] = None, nlp_path: Optional[str] = None,
                   language: Optional[str] = None) -> Retrieval:
    """Fact finder, signals and analyser for the project under ``root`` in ``language``
    (English by default), cached."""
    return _load(project_root(root).resolve(), nlp_path, language or "en")
