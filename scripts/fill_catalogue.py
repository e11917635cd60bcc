"""Fill empty msgstr entries of a .po file from a {msgid: translation} module; list the rest.

Usage: python scripts/fill_catalogue.py locale/zh_Hans/LC_MESSAGES/django.po TRANSLATIONS.py
"""

import runpy
import sys

import polib


def main(po_path: str, table_path: str) -> int:
    table = runpy.run_path(table_path)
    po = polib.pofile(po_path)
    missing = []
    for entry in po:
        if entry.msgid_plural:
            guessed = "fuzzy" in entry.flags  # makemessages' guess: replace it when we can
            known = entry.msgid in table.get("PLURALS", {})
            if (guessed or not any(entry.msgstr_plural.values())) and known:
                entry.msgstr_plural = dict(enumerate(table["PLURALS"][entry.msgid]))
            if not any(entry.msgstr_plural.values()):
                missing.append(entry.msgid)
        else:
            guessed = "fuzzy" in entry.flags  # makemessages' guess: replace it when we can
            if (not entry.msgstr or guessed) and entry.msgid in table["T"]:
                entry.msgstr = table["T"][entry.msgid]
            elif guessed:
                missing.append(entry.msgid)
            if not entry.msgstr:
                missing.append(entry.msgid)
        if "fuzzy" in entry.flags and entry.msgid not in missing:
            entry.flags.remove("fuzzy")
    po.save()
    for msgid in missing:
        print("untranslated:", msgid)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
