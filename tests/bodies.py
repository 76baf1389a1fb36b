"""Generated `$( )` bodies for the tests of the short ways that read a body from its text
(tests/test_body_lines_fast.py, tests/test_body_words_fast.py): one command of words, each word
followed by a blank of the kinds a body's words may be apart by, with or without blanks around."""

from hypothesis import strategies as st

BLANKS = [" ", " ", " ", "  ", "\t"]


def bodies(words: list[str]) -> st.SearchStrategy[str]:
    """Bodies of 1 to 11 of ``words`` (drawn with repeats), blanks between, around or not."""
    return st.tuples(
        st.sampled_from(["", " ", "\t"]),
        st.lists(st.tuples(st.sampled_from(words), st.sampled_from(BLANKS)), min_size=1, max_size=11),
        st.sampled_from(["", " "]),
    ).map(lambda t: t[0] + "".join(w + b for w, b in t[1][:-1]) + t[1][-1][0] + t[2])
