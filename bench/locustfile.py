"""The mix of the load test (bench/load_bench.py): what a regency's staff and the public do.

Weights: public status checks 3, name searches 3, list pages 2, worker reads 3, worker edits 1.
Reads the sample of workers that load_bench.py wrote (LOAD_SAMPLE), never the database.
"""

from __future__ import annotations

import json
import os
import random

from locust import FastHttpUser, between, task

SAMPLE = json.loads(open(os.environ["LOAD_SAMPLE"], encoding="utf-8").read())  # noqa: SIM115
AUTH = {"Authorization": f"Bearer {SAMPLE['token']}"}


class RegencyStaffAndPublic(FastHttpUser):
    wait_time = between(0.2, 0.8)

    @task(3)
    def public_status(self) -> None:
        nik, birth = random.choice(SAMPLE["public"])
        self.client.post(
            "/api/v1/public/status",
            json={"nik": nik, "birth_date": birth},
            name="POST /api/v1/public/status",
        )

    @task(3)
    def search(self) -> None:
        self.client.post(
            "/api/v1/workers/search",
            json={"q": random.choice(SAMPLE["names"])},
            headers=AUTH,
            name="POST /api/v1/workers/search",
        )

    @task(2)
    def list_page(self) -> None:
        params = random.choice([{}, {"sex": "P"}, {"verification_status": "pending"}])
        self.client.get("/api/v1/workers", params=params, headers=AUTH, name="GET /api/v1/workers")

    @task(3)
    def read(self) -> None:
        worker = random.choice(SAMPLE["ids"])
        self.client.get(f"/api/v1/workers/{worker}", headers=AUTH, name="GET /api/v1/workers/{id}")

    @task(1)
    def edit(self) -> None:
        worker = random.choice(SAMPLE["ids"])
        current = self.client.get(
            f"/api/v1/workers/{worker}", headers=AUTH, name="GET /api/v1/workers/{id}"
        )
        if current.status_code != 200:
            return
        with self.client.patch(
            f"/api/v1/workers/{worker}",
            json={
                "version": current.json()["version"],
                "phone": f"0812{random.randrange(10**7, 10**8)}",
            },
            headers=AUTH,
            name="PATCH /api/v1/workers/{id}",
            catch_response=True,
        ) as response:
            if response.status_code == 409:  # two users edited the same worker: a correct answer
                response.success()
