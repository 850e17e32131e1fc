// The base map every workbench draws on: Leaflet with the deployment's tiles when it configures
// some (/assets/config.json), else offline: the county outlines and, when the platform has a road
// network loaded, its roads (`/api/v1/map/layers/roads`, fetched for the visible box).
import { apiOrNull } from './api.js';
import { consoleConfig } from './ui.js';

/** Liuzhou's centre. */
export const LIUZHOU = [24.33, 109.42];

const maps = new Set();

/** Removes every map made by `baseMap` (pages call it from `dispose`). */
export function disposeMaps() {
  for (const m of maps) m.remove();
  maps.clear();
}

/**
 * A Leaflet map on `el` with the base layers; resolves to the map (or null when Leaflet did not
 * load). `center`/`zoom` default to the city.
 */
export async function baseMap(el, { center = LIUZHOU, zoom = 11 } = {}) {
  if (!window.L) return null;
  const L = window.L;
  const config = await consoleConfig();
  const map = L.map(el, { preferCanvas: true, attributionControl: Boolean(config.tile_url) }).setView(center, zoom);
  maps.add(map);
  if (config.tile_url) {
    L.tileLayer(config.tile_url, { maxZoom: 18, attribution: config.tile_attribution || '' }).addTo(map);
  } else {
    const counties = await apiOrNull('/api/v1/map/layers/counties').catch(() => null);
    if (counties && Array.isArray(counties.features)) {
      L.geoJSON(counties, {
        style: { color: '#8c959f', weight: 1, fill: false, dashArray: '4 3' },
        pointToLayer: () => null,
        interactive: false,
      }).addTo(map);
    }
    roadsLayer(map);
  }
  L.control.scale({ imperial: false }).addTo(map);
  return map;
}

/** Draws the road network's lines for the visible box, refreshed when the view moves. */
function roadsLayer(map) {
  const L = window.L;
  const layer = L.geoJSON(null, { style: { color: '#afb8c1', weight: 1 }, interactive: false }).addTo(map);
  let seq = 0;
  const load = async () => {
    const my = ++seq;
    const b = map.getBounds();
    const bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((x) => x.toFixed(5)).join(',');
    const data = await apiOrNull(`/api/v1/map/layers/roads?bbox=${bbox}&zoom=${map.getZoom()}`).catch(() => null);
    if (my !== seq || !data || !Array.isArray(data.features)) return;
    if (data.synthetic && !map.wuliuSynthNote) {
      // The demo's roads are generated, not surveyed: say so on the map.
      map.wuliuSynthNote = true;
      L.control.attribution({ prefix: false }).addAttribution(data.attribution || 'synthetic roads').addTo(map);
    }
    layer.clearLayers();
    layer.addData(data);
    layer.bringToBack();
  };
  map.on('moveend', load);
  load();
}
