# Nest a rendered PDF's signature fields under parent fields (ISO 32000-1
# §12.7.3.1), the way other tools make forms, for sign_field.sh's --field
# tests: its qpdf JSON (qpdf --json-output=2) in, the edited JSON out
# (qpdf --json-input makes the PDF). Each "PARENT=CHILD[=NEW]" argument
# puts the top-level field CHILD under a new parent field PARENT (a parent
# named twice holds both children), renamed NEW if given; the first parent
# made carries /FT /Sig for its kids (their own /FT removed: inherited).
# Usage: python3 nest.py IN.json OUT.json PARENT=CHILD[=NEW]...
import json
import sys

doc = json.load(open(sys.argv[1]))
objects = doc["qpdf"][1]
root = objects["obj:" + objects["trailer"]["value"]["/Root"]]["value"]
form = root["/AcroForm"]
top = form["/Fields"]
parents = {}
next_id = max(int(key.split()[0][4:]) for key in objects if key.startswith("obj:")) + 1
for arg in sys.argv[3:]:
    parent, child, *new = arg.split("=")
    ref = next(r for r in top if objects["obj:" + r]["value"].get("/T") == "u:" + child)
    kid = objects["obj:" + ref]["value"]
    if parent not in parents:
        parent_ref = "%d 0 R" % next_id
        next_id += 1
        value = {"/T": "u:" + parent, "/Kids": []}
        if not parents:
            value["/FT"] = "/Sig"
        objects["obj:" + parent_ref] = {"value": value}
        parents[parent] = parent_ref
        top.append(parent_ref)
    parent_ref = parents[parent]
    parent_value = objects["obj:" + parent_ref]["value"]
    parent_value["/Kids"].append(ref)
    if "/FT" in parent_value:
        del kid["/FT"]
    kid["/Parent"] = parent_ref
    if new:
        kid["/T"] = "u:" + new[0]
    top.remove(ref)
doc["qpdf"][0]["maxobjectid"] = next_id - 1
json.dump(doc, open(sys.argv[2], "w"))
