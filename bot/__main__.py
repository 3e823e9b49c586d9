"""Command line: python -m bot <command>. See `python -m bot --help`."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.knowledge.content import load_content, project_root
from bot.knowledge import KnowledgeError


def _check(args) -> int:
    from bot.desk.claimreview import load_reviews
    from bot.knowledge import knowledge_dir

    try:
        content = load_content(args.root)
        load_reviews(knowledge_dir(args.root) / "claimreview.yml", content.kb)
    except (KnowledgeError, ValueError) as exc:
        print(exc, file=sys.stderr)
        return 1
    kb = content.kb
    from bot.answers.data import check as check_retrieval

    try:
        check_retrieval(kb, args.root)
    except KnowledgeError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"knowledge OK: {len(kb.myths)} myths, {len(kb.questions)} questions, "
          f"{len(kb.facts)} facts, {len(kb.sources)} sources, {len(kb.entities)} entities")
    return 0


def _build_nlp(args) -> int:
    from bot.nlu.pipeline import build_pipelines

    built = build_pipelines(load_content(args.root), project_root(args.root), Path(args.out))
    print(f"spaCy pipelines written to {args.out}: {', '.join(built)}")
    return 0


MYTH_WORDS_HEADER = """\
# Words that show a message is about one myth, per language, learnt from the intent examples
# (data/nlu/, data/nlu/<lang>/) by `make myth-words` (bot/answers/myth_words.py). They add to
# data/knowledge/signals.yml. Written by the command, not by hand: the test suite checks that
# the file is what the command writes from the current examples.
"""


def _learn_myth_words(args) -> int:
    import yaml

    from bot.answers.data import MYTH_WORDS_KEY, learnt_myth_words

    words = learnt_myth_words(args.root)
    out = Path(args.out)
    out.write_text(MYTH_WORDS_HEADER + yaml.safe_dump({MYTH_WORDS_KEY: words}, allow_unicode=True, sort_keys=False,
                                                      default_flow_style=None, width=100), encoding="utf-8")
    print(f"{sum(len(w) for m in words.values() for w in m.values())} words in {len(words)} languages written to {out}")
    return 0


def _build_examples(args) -> int:
    from bot.nlu.examples import dump, fact_question_examples

    data = fact_question_examples(load_content(args.root))
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(dump(data), encoding="utf-8")
    print(f"{sum(len(b['examples'].splitlines()) for b in data['nlu'])} ask_fact examples written to {out}")
    return 0


def _evaluate(args) -> int:
    from bot.nlu.evaluate import (evaluate_model, false_offer_rate, in_other_languages, load_test_set, load_two_myths,
                                  metrics, parse_messages, report_markdown, two_myth_rate)

    content = load_content(args.root)
    kb = content.kb
    model = Path(args.model)
    others = in_other_languages([t for t, _ in load_test_set(Path(args.test_set))], content.codes[1:])
    result = metrics(evaluate_model(model, Path(args.test_set), skip=others))
    cases = load_two_myths(Path(args.two_myths))
    both = two_myth_rate(kb, cases, parse_messages(model, [t for t, _ in cases]))
    single = [t for t, intent in load_test_set(Path(args.test_set)) if intent.startswith("myth_")]
    both.update(single_n=len(single), false_offers=false_offer_rate(kb, parse_messages(model, single)))
    report = report_markdown(result, args.test_set, "make evaluate", both, skipped=others)
    if args.factual and args.out_of_domain:
        report += "\n" + _answers_report(args, kb, model)
    if args.report:
        Path(args.report).parent.mkdir(parents=True, exist_ok=True)
        Path(args.report).write_text(report, encoding="utf-8")
    print(f"myth accuracy {result['myth_accuracy']:.1%}, off-topic rejection "
          f"{result['oos_rejection']:.1%}, overall {result['accuracy']:.1%}, "
          f"macro-F1 {result['macro_f1']:.3f} on {result['n']} messages; two-myth messages: "
          f"one answered {both['answered_one']:.0%}, other offered {both['offered_other']:.0%}, "
          f"false offers {both['false_offers']:.1%}")
    return 0


def _answers_report(args, kb, model: Path) -> str:
    """Answer-level figures on the factual, out-of-domain and myth messages (bot/answers/measure.py)."""
    from bot.answers import measure
    from bot.answers.data import load_retrieval
    from bot.nlu.evaluate import load_test_set, parse_messages

    content = load_content(args.root)
    retrieval = load_retrieval(args.root)
    groups = {
        measure.FACTUAL: measure.load_factual(Path(args.factual)),
        measure.OUT_OF_DOMAIN: [(t, ()) for t, _ in measure.load_out_of_domain(Path(args.out_of_domain))],
        measure.MYTH: [(t, (i,)) for t, i in load_test_set(Path(args.test_set)) if i.startswith("myth_")],
    }
    texts = [t for items in groups.values() for t, _ in items]
    parsed = iter(parse_messages(model, texts))
    outcomes = {cat: [measure.judge(kb, content.templates, retrieval, cat, t, exp, next(parsed)) for t, exp in items]
                for cat, items in groups.items()}
    sets = {measure.FACTUAL: args.factual, measure.OUT_OF_DOMAIN: args.out_of_domain, measure.MYTH: args.test_set}
    lines = measure.report_lines(outcomes[measure.FACTUAL], outcomes[measure.OUT_OF_DOMAIN], outcomes[measure.MYTH],
                                 sets, tuning="`make tune`, docs/answer-tuning.md")
    for cat, items in outcomes.items():
        r = measure.rates(items)
        print(f"{cat}: {r['right']:.1%} right of {r['n']} (fact in reply {r['in_reply']:.1%}, "
              f"asked back {r['asked_back']:.1%}, no rebuttal {r['no_rebuttal']:.1%})")
    return "\n".join(lines) + "\n"
def _evaluate_languages(args) -> int:
    from bot.answers.data import load_retrieval
    from bot.answers.evaluate_languages import cases, judged, language_metrics, load_sets, report_markdown
    from bot.nlu.evaluate import parse_messages

    content = load_content(args.root)
    items = cases(load_sets(Path(args.sets)))
    parsed = parse_messages(Path(args.model), [i["text"] for i in items])
    answered = judged(content, items, parsed, lambda code: load_retrieval(args.root, language=code))
    result = language_metrics(content.kb, items, parsed, answered)
    if args.append:
        with Path(args.append).open("a", encoding="utf-8") as report:
            report.write(report_markdown(result, args.sets))
    for code, rates in result["rates"].items():
        shown = ", ".join(f"{k} {v[0]:.1%}" for k, v in rates.items() if not k.startswith("myth_"))
        print(f"{code}: {shown}")
    return 0


def _score(args) -> int:
    import json

    from bot.nlu.lid import guess_language
    from bot.nlu.pipeline import pipeline_path, pipelines_dir
    from bot.practice.replies import score_json
    from bot.practice.scorer import content_scorer

    english = load_content(args.root)
    spoken = [code for code in (english.codes or ("en",)) if english.for_language(code).practice is not None]
    text = sys.stdin.read() if args.text == "-" else args.text
    if args.lang and args.lang not in spoken:
        print(f"no practice in language '{args.lang}' (known: {', '.join(spoken)})", file=sys.stderr)
        return 2
    code = args.lang or (guess_language(text, spoken) if len(spoken) > 1 else "en")
    content = english.for_language(code)
    myth = content.kb.myths.get(args.myth)
    if myth is None or not myth.practice:
        known = ", ".join(m.id for m in content.kb.myths.values() if m.practice)
        print(f"no practice block for myth '{args.myth}' (known: {known})", file=sys.stderr)
        return 2
    nlp = pipeline_path(args.root) if code == "en" else pipelines_dir(args.root) / code   # FACTCHECK_NLP: English
    score = content_scorer(content, nlp.parent).score(myth.id, text, args.stage)
    if not args.lang:
        print(f"language: {code} (detected; --lang overrides)", file=sys.stderr)
    print(json.dumps(score_json(content.kb, content.templates, score), indent=2, ensure_ascii=False))
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    parser.add_argument("--root", default=None, help="project root (default: this repository)")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("check", help="validate the knowledge base and templates").set_defaults(run=_check)
    nlp = sub.add_parser("build-nlp", help="build the rule-based spaCy pipelines, one per language")
    nlp.add_argument("--out", default="build/spacy")
    nlp.set_defaults(run=_build_nlp)
    bx = sub.add_parser("build-examples", help="ask_fact training examples from each language's questions per fact")
    bx.add_argument("--out", default="build/nlu/fact_questions.yml")
    bx.set_defaults(run=_build_examples)
    mw = sub.add_parser("learn-myth-words", help="learn each myth's evidence words from the intent examples")
    mw.add_argument("--out", default="data/knowledge/myth_words.yml")
    mw.set_defaults(run=_learn_myth_words)
    ev = sub.add_parser("evaluate", help="NLU accuracy of a trained model on a test set")
    ev.add_argument("--model", default="models/nato-factcheck.tar.gz")
    ev.add_argument("--test-set", default="tests/nlu/test_set.yml")
    ev.add_argument("--two-myths", default="tests/nlu/two_myths.yml")
    ev.add_argument("--report", default=None, help="write a Markdown report here")
    ev.add_argument("--factual", default=None, help="held-out factual questions with their expected facts")
    ev.add_argument("--out-of-domain", default=None, help="held-out messages that must get no rebuttal and no fact")
    ev.set_defaults(run=_evaluate)
    el = sub.add_parser("evaluate-languages", help="NLU accuracy per language on the held-out language sets")
    el.add_argument("--model", default="models/nato-factcheck.tar.gz")
    el.add_argument("--sets", default="tests/nlu/languages")
    el.add_argument("--append", default=None, help="append the Markdown section to this report")
    el.set_defaults(run=_evaluate_languages)
    sc = sub.add_parser("score", help="score a practice answer to a myth, as JSON")
    sc.add_argument("--myth", required=True, help="myth id, e.g. encirclement")
    sc.add_argument("--stage", choices=["answer", "counter"], default="answer",
                    help="the first answer, or the reply to the push-back")
    sc.add_argument("--lang", default=None, help="the answer's language (default: detected)")
    sc.add_argument("text", help="the answer to score; '-' reads it from stdin")
    sc.set_defaults(run=_score)
    from bot.desk import cli as desk_cli

    desk_cli.add_parser(sub)
    args = parser.parse_args(argv)
    if args.command == "desk":
        return desk_cli.run(args)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
