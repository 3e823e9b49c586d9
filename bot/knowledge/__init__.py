"""The knowledge base: loading and validating data/knowledge/ and responses/templates.yml.

Holds the records (model.py), their loading and validation (load.py), derived figures,
qualifications and the second-voice rule (qualifications.py), the practice block of a
myth (practice_spec.py), figures and dates in text (figures.py), what a sentence names
against what its evidence covers (claims.py), the wording templates (templates.py) and
where the files live (content.py).

May import: nothing of bot (standard library and PyYAML only). Pure: no Rasa.
"""
from bot.knowledge.content import Content, knowledge_dir, load_content, project_root, templates_file
from bot.knowledge.load import load_knowledge
from bot.knowledge.model import (PRIMARY_KINDS, SOURCE_KINDS, Derived, Entity, Evidence, Fact, Knowledge, KnowledgeError,
                                 Myth, Passage, Qualification, Question, Source, Topic)
from bot.knowledge.templates import TemplateError, Templates, load_templates

__all__ = ["PRIMARY_KINDS", "SOURCE_KINDS", "Content", "Derived", "Entity", "Evidence", "Fact", "Knowledge", "KnowledgeError", "Myth", "Passage", "Qualification",
           "Question", "Source", "TemplateError", "Templates", "Topic", "knowledge_dir", "load_content", "load_knowledge",
           "load_templates", "project_root", "templates_file"]
