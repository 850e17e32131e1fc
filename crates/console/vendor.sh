#!/usr/bin/env bash
# Reproduces crates/console/assets/vendor/ from the npm registry: `npm pack` of the pinned versions
# into a temporary directory, copies the files the console serves (with the licences), and prints
# their SHA-256s, which must equal those in assets/vendor/PROVENANCE.md.
#
#   bash crates/console/vendor.sh          # re-vendor and print the hashes
#
# Nothing here runs at build or run time: the copied files are committed.
set -euo pipefail
ECHARTS=6.0.0
LEAFLET=1.9.4
here="$(cd "$(dirname "$0")" && pwd)"
dest="$here/assets/vendor"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
npm pack --silent "echarts@$ECHARTS" "leaflet@$LEAFLET" >/dev/null
mkdir echarts leaflet
tar -xzf "echarts-$ECHARTS.tgz" -C echarts
tar -xzf "leaflet-$LEAFLET.tgz" -C leaflet
mkdir -p "$dest/echarts" "$dest/leaflet/images"
cp echarts/package/dist/echarts.min.js "$dest/echarts/"
cp echarts/package/LICENSE echarts/package/NOTICE "$dest/echarts/"
cp leaflet/package/dist/leaflet.js leaflet/package/dist/leaflet.css "$dest/leaflet/"
cp leaflet/package/dist/images/*.png "$dest/leaflet/images/"
cp leaflet/package/LICENSE "$dest/leaflet/"
echo "echarts@$ECHARTS leaflet@$LEAFLET"
echo "npm tarballs:"
sha256sum "echarts-$ECHARTS.tgz" "leaflet-$LEAFLET.tgz"
echo "vendored files:"
cd "$dest"
find echarts leaflet -type f | LC_ALL=C sort | xargs sha256sum

# qrcode-generator (the lot page's QR codes, ES module build). The package ships no LICENSE file:
# qrcode/LICENSE is the MIT licence its source header names (Copyright (c) 2009 Kazuhiko Arase).
QRCODE=2.0.4
(cd "$tmp" && npm pack --silent "qrcode-generator@$QRCODE" >/dev/null && mkdir -p qrcode \
  && tar -xzf "qrcode-generator-$QRCODE.tgz" -C qrcode)
mkdir -p "$dest/qrcode"
cp "$tmp/qrcode/package/dist/qrcode.mjs" "$dest/qrcode/qrcode.js"
echo "qrcode-generator@$QRCODE"
sha256sum "$tmp/qrcode-generator-$QRCODE.tgz"
(cd "$dest" && sha256sum qrcode/LICENSE qrcode/qrcode.js)

# three.js (the loading page's 3D view): the ES module build and OrbitControls from examples/jsm,
# whose bare `from 'three'` import is pointed at the file beside it (the CSP allows no import map).
THREE=0.187.0
cd "$tmp"
npm pack --silent "three@$THREE" >/dev/null
mkdir three && tar -xzf "three-$THREE.tgz" -C three
mkdir -p "$dest/three"
cp three/package/build/three.module.js three/package/build/three.core.js three/package/LICENSE "$dest/three/"
sed "s#from 'three';#from './three.module.js';#" three/package/examples/jsm/controls/OrbitControls.js \
  > "$dest/three/OrbitControls.js"
echo "three@$THREE"
sha256sum "three-$THREE.tgz"
cd "$dest"
find three -type f | LC_ALL=C sort | xargs sha256sum

# fflate (the data pages: .xlsx import read and export written in the browser), ES module build.
FFLATE=0.8.2
(cd "$tmp" && npm pack --silent "fflate@$FFLATE" >/dev/null && mkdir -p fflate \
  && tar -xzf "fflate-$FFLATE.tgz" -C fflate)
mkdir -p "$dest/fflate"
cp "$tmp/fflate/package/esm/browser.js" "$dest/fflate/fflate.js"
cp "$tmp/fflate/package/LICENSE" "$dest/fflate/LICENSE"
echo "fflate@$FFLATE"
sha256sum "$tmp/fflate-$FFLATE.tgz"
(cd "$dest" && sha256sum fflate/LICENSE fflate/fflate.js)
