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
