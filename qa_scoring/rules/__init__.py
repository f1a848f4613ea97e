"""Rules as data: the versioned rules file, its validator and the compiled rule set."""

from qa_scoring.rules.ruleset import RuleSet, default_rules_path, load_rules
from qa_scoring.rules.section import RulesError

__all__ = ["RuleSet", "RulesError", "default_rules_path", "load_rules"]
