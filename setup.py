"""Build of pynn's C core. Everything else about the package is in pyproject.toml; cffi's
extension can only be named here, through cffi_modules."""
from setuptools import setup

setup(cffi_modules=["csrc/build_ffi.py:ffibuilder"])
