"""How far the tagger looks around a match, in characters unless said. Each bound is the longest stretch the
genre writes there: looking further finds nothing more and only costs time on odd input."""

NAME_WINDOW_SYLLABLES = 12  # a place and a name written together ("Sơn La Phạm Văn Thủy"), in syllables
NAME_MAX_SYLLABLES = 4  # a full name: surname, middle names, given name
PLACE_WORD_BEFORE = 12  # "thành phố ", "Tỉnh ủy ": a place word right before a run makes it a place
RANK_BEFORE = 20  # "Thượng tướng ": a rank written right before a name
NAMED_AFTER_BEFORE = 40  # "Học viện Chính trị quốc gia ": the words that name a thing after a person
NOTE_IN_PARENTHESES = 80  # "A (Thường trực), B": a listed name's own titles in parentheses
TITLE_FOR_REACH = 100  # from a title to the "đối với" that names the person it is for
CLAUSE_REACH = 120  # where a career list after "từng giữ chức R" would go on
SUBJECT_REACH = 300  # from a name to the verb further on that gives it a title
ROLE_VERB_WORDS_BEFORE = 5  # "được tín nhiệm bầu tái cử giữ chức": the words before a role verb
SEPARATOR_REACH = 3  # ", ", " - ", " : ": a separator between a name or title and the next
