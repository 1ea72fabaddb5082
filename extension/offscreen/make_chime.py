"""Writes chime.wav: the short two-note tone played when an order waits for payment or a task needs the user.

Generated rather than downloaded so the extension ships no third-party media. Run: python3 make_chime.py
"""
import math
import struct
import wave

RATE = 22050
# Two rising notes (E5, A5), each with a soft attack and an exponential decay, like a door chime.
NOTES = [(659.25, 0.0, 0.45), (880.0, 0.22, 0.55)]
LENGTH_S = 0.8


def sample(t):
    value = 0.0
    for freq, start, dur in NOTES:
        dt = t - start
        if 0 <= dt < dur:
            attack = min(1.0, dt / 0.01)
            decay = math.exp(-dt * 6.0)
            value += 0.35 * attack * decay * math.sin(2 * math.pi * freq * dt)
    return max(-1.0, min(1.0, value))


with wave.open("chime.wav", "wb") as out:
    out.setnchannels(1)
    out.setsampwidth(2)
    out.setframerate(RATE)
    frames = b"".join(struct.pack("<h", int(sample(i / RATE) * 32767)) for i in range(int(RATE * LENGTH_S)))
    out.writeframes(frames)
