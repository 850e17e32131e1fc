// 地图 Map: Leaflet over the platform's GeoJSON layers (counties, key projects, facilities, live
// vehicles refreshed every 15 s, load origins as circles sized by weight). No tile server unless
// the deployment configures one (/assets/config.json): the map works offline.
import { t, fmtNum, fmtDateTime, fmtYuan } from '../i18n.js';
import { apiOrNull } from '../api.js';
import { h, noData } from '../ui.js';

const LAYERS = ['counties', 'projects', 'facilities', 'vehicles', 'load_heat'];
// Which layers a role may read (the server answers 403 to the others): live vehicles are the
// regulator's and each carrier's own; the load heat compares every shipper, so it is the regulator's.
const ALLOWED = {
  admin: LAYERS,
  regulator: LAYERS,
  carrier: ['counties', 'projects', 'facilities', 'vehicles'],
  shipper: ['counties', 'projects', 'facilities'],
};
const COLORS = { counties: '#0a7ea4', projects: '#8250df', facilities: '#bf8700', vehicles: '#2da44e', load_heat: '#cf222e' };
const LIUZHOU = [24.6, 109.3];
let timer = 0;
let map = null;

export function dispose() {
  clearInterval(timer);
  timer = 0;
  if (map) map.remove();
  map = null;
}

function popup(title, rows) {
  return h('div', { class: 'popup' }, h('strong', { text: title || '' }),
    h('dl', { class: 'kv' }, rows.filter(([, v]) => v !== null && v !== undefined && v !== '').map(([k, v]) => [h('dt', { text: k }), h('dd', { text: String(v) })])));
}

function buildStatus(s) {
  const key = `plan.build.${s}`;
  return s && t.has(key) ? t(key) : s;
}

function popupOf(layer, p) {
  switch (layer) {
    case 'projects':
      return popup(p.name, [[t('plan.district'), p.district], [t('plan.type'), p.type], [t('plan.build_status'), buildStatus(p.build_status)],
        [t('plan.investment'), p.investment_yuan === undefined ? null : fmtYuan(p.investment_yuan)],
        [t('map.position'), p.approximate ? t('map.approximate') : null]]);
    case 'vehicles':
      return popup(p.plate || p.name, [[t('map.at'), p.at ? fmtDateTime(p.at) : null],
        [t('map.speed'), p.speed_kmh === undefined || p.speed_kmh === null ? null : `${fmtNum(p.speed_kmh, 0)} km/h`]]);
    case 'load_heat':
      return popup(p.name, [[t('map.loads'), fmtNum(p.weight)]]);
    default:
      return popup(p.name, Object.entries(p).filter(([k, v]) => k !== 'name' && typeof v !== 'object').slice(0, 6));
  }
}

function geoLayer(layer, data) {
  const L = window.L;
  const max = layer === 'load_heat' ? Math.max(1, ...data.features.map((f) => Number(f.properties && f.properties.weight) || 0)) : 1;
  return L.geoJSON(data, {
    style: () => (layer === 'counties'
      ? { color: COLORS.counties, weight: 1.5, fillColor: COLORS.counties, fillOpacity: 0.06 }
      : { color: COLORS[layer] }),
    pointToLayer: (f, latlng) => {
      const p = f.properties || {};
      if (layer === 'load_heat') {
        const w = Number(p.weight) || 0;
        return L.circleMarker(latlng, { radius: 4 + 22 * Math.sqrt(w / max), color: COLORS.load_heat, weight: 1, fillOpacity: 0.35 });
      }
      if (layer === 'projects') {
        return L.circleMarker(latlng, { radius: 7, color: COLORS.projects, weight: 2, dashArray: p.approximate ? '3 3' : null,
          fillColor: COLORS.projects, fillOpacity: p.approximate ? 0.15 : 0.6 });
      }
      if (layer === 'counties') {
        return L.circleMarker(latlng, { radius: 6, color: COLORS.counties, weight: 2, fillOpacity: 0.5 })
          .bindTooltip(p.name || '', { permanent: true, direction: 'right', offset: [8, 0], className: 'county-label' });
      }
      return L.circleMarker(latlng, { radius: layer === 'vehicles' ? 4 : 5, color: COLORS[layer], weight: 1, fillColor: COLORS[layer], fillOpacity: 0.8 });
    },
    onEachFeature: (f, l) => {
      const p = f.properties || {};
      l.bindPopup(popupOf(layer, p));
      if (layer === 'counties' && f.geometry && f.geometry.type !== 'Point' && p.name) {
        l.bindTooltip(p.name, { sticky: true });
      }
    },
  });
}

function legend(counts) {
  const L = window.L;
  const c = L.control({ position: 'bottomright' });
  c.onAdd = () => h('div', { class: 'map-legend', id: 'map-legend' },
    h('strong', { text: t('map.legend') }),
    LAYERS.map((k) => h('div', { class: 'legend-row' },
      h('span', { class: `swatch swatch-${k}` }),
      h('span', { text: t(`map.layer.${k}`) }),
      h('span', { class: 'muted', dataset: { layerCount: k }, text: counts[k] === null ? ` · ${t('common.no_data')}` : ` · ${fmtNum(counts[k])}` }))),
    h('div', { class: 'legend-row' }, h('span', { class: 'swatch swatch-approx' }), h('span', { text: t('map.approximate') })));
  return c;
}

export async function render(root, ctx) {
  dispose();
  root.appendChild(h('div', { class: 'page-head' }, h('h1', { text: t('nav.map') }),
    h('span', { class: 'page-meta muted', id: 'map-status', text: t('map.offline_note') })));
  const el = h('div', { id: 'map', class: 'map' });
  root.appendChild(el);
  if (!window.L) {
    el.appendChild(noData(t('common.charts_unavailable')));
    return;
  }
  const L = window.L;
  const config = await fetch('/assets/config.json', { cache: 'no-store' }).then((r) => (r.ok ? r.json() : {})).catch(() => ({}));
  const allowed = ALLOWED[ctx.me && ctx.me.role] || ALLOWED.shipper;
  const results = await Promise.all(LAYERS.map((k) => (allowed.includes(k)
    ? apiOrNull(`/api/v1/map/layers/${k}`).catch(() => null) : Promise.resolve(null))));
  if (!ctx.isCurrent()) return;
  map = L.map(el, { preferCanvas: true, zoomControl: true, attributionControl: Boolean(config.tile_url) }).setView(LIUZHOU, 8);
  if (config.tile_url) L.tileLayer(config.tile_url, { maxZoom: 18, attribution: config.tile_attribution || '' }).addTo(map);
  const overlays = {};
  const counts = {};
  const groups = {};
  LAYERS.forEach((k, i) => {
    const data = results[i];
    const ok = data && Array.isArray(data.features);
    counts[k] = ok ? data.features.length : null;
    groups[k] = geoLayer(k, ok ? data : { type: 'FeatureCollection', features: [] });
    groups[k].addTo(map);
    overlays[t(`map.layer.${k}`)] = groups[k];
  });
  L.control.layers(null, overlays, { collapsed: false }).addTo(map);
  legend(counts).addTo(map);
  L.control.scale({ imperial: false }).addTo(map);
  const bounds = groups.counties.getBounds && groups.counties.getBounds();
  if (bounds && bounds.isValid()) map.fitBounds(bounds.pad(0.05));
  el.dataset.layers = JSON.stringify(counts);
  const status = document.getElementById('map-status');
  const refresh = async () => {
    if (!allowed.includes('vehicles')) return;
    const v = await apiOrNull('/api/v1/map/layers/vehicles').catch(() => null);
    if (!map || !v || !Array.isArray(v.features)) return;
    groups.vehicles.clearLayers();
    groups.vehicles.addData(v);
    const n = document.querySelector('[data-layer-count="vehicles"]');
    if (n) n.textContent = ` · ${fmtNum(v.features.length)}`;
    if (status) status.textContent = t('map.refreshed', { at: fmtDateTime(new Date().toISOString()) });
  };
  timer = setInterval(refresh, 15000);
}
