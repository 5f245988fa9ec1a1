"""The notice as typed data and the matching over it; pure, never imports conversations or bot."""

from knowledge.loader import KnowledgeError, load_knowledge
from knowledge.models import Knowledge

__all__ = ["Knowledge", "KnowledgeError", "load_knowledge"]
