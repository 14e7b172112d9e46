#!/usr/bin/env bash
# Regenerate fuzz/seeds/image/: small PNG and JPEG files of every kind the
# image stage reads (gray, RGB, alpha, palette, 16-bit, interlaced; JPEG
# gray, RGB, CMYK, progressive). Needs ImageMagick's `convert`; the files are
# committed, so only whoever changes the set needs it (CONVERT=path to choose one).
set -euo pipefail
out=$(dirname "$0")/seeds/image
mkdir -p "$out"
convert=${CONVERT:-convert}
src=(-size 12x8 gradient:red-blue -strip)
"$convert" "${src[@]}" -colorspace Gray -depth 8 "$out/gray.png"
"$convert" "${src[@]}" -depth 8 -define png:color-type=2 "$out/rgb.png"
"$convert" "${src[@]}" -alpha set -channel A -evaluate set 50% -depth 8 -define png:color-type=6 "$out/rgba.png"
"$convert" "${src[@]}" -colors 4 -define png:color-type=3 "$out/palette.png"
"$convert" "${src[@]}" -depth 16 "$out/rgb16.png"
"$convert" "${src[@]}" -interlace PNG "$out/interlaced.png"
"$convert" "${src[@]}" -colorspace Gray -quality 50 "$out/gray.jpg"
"$convert" "${src[@]}" -quality 50 "$out/rgb.jpg"
"$convert" "${src[@]}" -colorspace CMYK -quality 50 "$out/cmyk.jpg"
"$convert" "${src[@]}" -interlace JPEG -quality 50 "$out/progressive.jpg"
ls -l "$out"
