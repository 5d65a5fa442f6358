// Intentionally empty: CBPF is header-only (static inline wrappers in include/cbpf.h).
