#!/usr/bin/env python3
"""Regenerates hardware/diagrams/*.svg from hardware/pinmap.json (run from hardware/: python3 diagrams/make-diagrams.py).
tests/EdgeDigits.Deploy.Tests/HardwareDocsTests checks every diagram still labels its part's pins as the pin map says."""
import json, html
pm = json.load(open('pinmap.json'))
header = {3:2,5:3,7:4,8:14,10:15,11:17,12:18,13:27,15:22,16:23,18:24,19:10,21:9,22:25,23:11,24:8,26:7,27:0,28:1,29:5,31:6,32:12,33:13,35:19,36:16,37:26,38:20,40:21}
power = {1:'3V3',17:'3V3',2:'5V',4:'5V'}
for g in pm['power']['GND']: power[g]='GND'
parts = {
 'ILI9341': ('ili9341-xpt2046', 'ILI9341 2.8" SPI LCD + XPT2046 touch', [('VCC','3V3',1),('GND','GND',6)]),
 'XPT2046': ('ili9341-xpt2046', None, []),
 'SSD1306': ('ssd1306', 'SSD1306 128x64 I2C OLED (0x3C)', [('VCC','3V3',17),('GND','GND',9)]),
 'TM1637': ('tm1637', 'TM1637 4-digit 7-segment module', [('VCC','3V3',1),('GND','GND',14)]),
 'LEDs': ('leds', 'Status LEDs (each through 330 Ohm to GND)', [('GND (LED cathodes)','GND',39)]),
 'Light barrier': ('light-barrier', 'Light barrier, NPN open-collector output', [('GND','GND',20),('V+ (sensor supply, 5 V)','5V',2)]),
 'Gates': ('gates', 'Relay board / MOSFET drivers for gates A, B, C, reject', [('VCC (relay board logic)','5V',4),('GND','GND',34)]),
}
files = {}
for s in pm['signals']:
    if s['bcm'] is None or s['part'] not in parts: continue
    f, title, pw = parts[s['part']]
    if f not in files: files[f] = {'title': None, 'rows': [], 'power': []}
    d = files[f]
    if title and d['title'] is None: d['title'] = title; d['power'] = list(pw)
    d['rows'].append((s['part'], s['signal'], s['bcm'], s['physical']))
def svg(d):
    rows = d['rows'] + [('power', n, None, p) for (n, kind, p) in d['power']]
    W = 900; H = max(80 + len(rows)*28, 80 + 20*28) + 30
    o = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}" font-family="DejaVu Sans, sans-serif" font-size="12">',
         f'<title>EdgeDigits wiring: {html.escape(d["title"])}</title>', '<rect width="100%" height="100%" fill="white"/>',
         f'<text x="20" y="28" font-size="16" font-weight="bold">{html.escape(d["title"])} - wiring (BCM numbering, 3.3 V logic)</text>',
         '<text x="20" y="48" fill="#555">Generated from hardware/pinmap.json. Left: the Pi 40-pin header seen from above, pin 1 top left.</text>']
    hx, hy = 70, 80
    used = {r[3] for r in rows}
    o.append(f'<rect x="{hx-62}" y="{hy-16}" width="232" height="{20*28+6}" fill="#1b5e20" rx="6"/>')
    for pin in range(1, 41):
        col, row = (pin-1) % 2, (pin-1)//2
        x, y = hx + 20 + col*40, hy + row*28
        name = power.get(pin) or (f'GPIO{header[pin]}' if pin in header else '')
        fill = '#ffd54f' if pin in used else '#cfd8dc'
        o.append(f'<circle cx="{x}" cy="{y}" r="9" fill="{fill}" stroke="#333"/><text x="{x}" y="{y+3}" text-anchor="middle" font-size="9">{pin}</text>')
        if col == 0: o.append(f'<text x="{x-14}" y="{y+4}" text-anchor="end" font-size="10" fill="white">{name}</text>')
        else: o.append(f'<text x="{x+14}" y="{y+4}" font-size="10" fill="white">{name}</text>')
    px, py = 600, 80
    o.append(f'<rect x="{px}" y="{py-20}" width="280" height="{len(rows)*28+12}" fill="#e3f2fd" stroke="#1565c0" rx="6"/>')
    for i, (part, sig, bcm, phys) in enumerate(rows):
        y = py + i*28
        label = sig if part == 'power' else f'{part} {sig}'
        col, row = (phys-1) % 2, (phys-1)//2
        sx, sy = hx + 20 + col*40, hy + row*28
        kind = power.get(phys)
        color = '#c62828' if kind in ('3V3','5V') else '#000' if kind == 'GND' else '#1565c0'
        o.append(f'<path d="M{sx+9},{sy} C{sx+220},{sy} {px-200},{y} {px-5},{y}" fill="none" stroke="{color}" stroke-width="1.5"/>')
        o.append(f'<circle cx="{px}" cy="{y}" r="5" fill="{color}"/><text x="{px+12}" y="{y+4}">{html.escape(label)}</text>')
        pin_label = f'GPIO{bcm} (pin {phys})' if bcm is not None else f'{kind} (pin {phys})'
        o.append(f'<text x="{px-10}" y="{y-4}" text-anchor="end" fill="{color}" font-size="11">{pin_label}</text>')
    o.append('</svg>')
    return '\n'.join(o) + '\n'
for f, d in files.items():
    with open(f'diagrams/{f}.svg', 'w') as out: out.write(svg(d))
