"""Spec tests of MACH: output certificates, alerts, equivocation, resolution and fast finality."""
