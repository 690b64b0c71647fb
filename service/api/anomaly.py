"""Routes: anomaly (not written yet)."""

from fastapi import APIRouter

router = APIRouter()
