"""vnparty: themes in Vietnamese news about Party-building (xây dựng Đảng).

Importing vnparty loads no model and sets no global state; pyvi's model loads on first use.
"""

from .corpus import (Article, Unit, bundled_data_path, iter_articles, load_articles, read_articles,
                     split_units)
from .analysis import (align_models, article_shares, prevalence, representative_units,
                       time_axis, topic_labels, topic_table, unit_frame)
from .estimators import LdaTopics, NmfTopics
from .evaluation import (MEASURES, coherence, coherence_per_topic, perplexity, select_k, stability,
                         topic_diversity)
from .models import TopicModel, fit_lda, fit_nmf
from .ensemble import fit_ensemble
from .explorer import explorer_html, write_explorer
from .lexicon import Lexicon, default_lexicon, document_references, is_number, parse_number
from .names import person_names, place_names
from .normalize import normalize_text, normalize_tone_marks
from .preprocess import Preprocessor, preprocess
from .stopwords import Stopwords
from .streamed import StreamedCorpus
from .tokenization import segment, segment_spans
from .seeded import Theme, bundled_codebook_path, codebook_audit, default_codebook, fit_seeded, read_codebook

__version__ = "0.1.0"

__all__ = [
    "Article", "Unit", "bundled_data_path", "load_articles", "read_articles", "iter_articles", "split_units",
    "normalize_text", "normalize_tone_marks", "segment", "segment_spans",
    "Lexicon", "default_lexicon", "document_references", "parse_number", "is_number",
    "person_names", "place_names",
    "Stopwords", "Preprocessor", "preprocess", "StreamedCorpus", "TopicModel", "fit_lda", "fit_nmf", "fit_ensemble",
    "LdaTopics", "NmfTopics", "MEASURES", "coherence", "coherence_per_topic", "perplexity", "select_k", "stability",
    "topic_diversity", "topic_labels", "topic_table", "unit_frame", "representative_units",
    "prevalence", "article_shares", "time_axis", "align_models", "explorer_html", "write_explorer",
    "__version__",
    "fit_seeded", "codebook_audit", "read_codebook", "default_codebook", "bundled_codebook_path", "Theme",
]
