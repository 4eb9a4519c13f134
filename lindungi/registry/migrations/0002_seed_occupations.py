"""The occupation categories of pekerja rentan (issue 3), with keywords that map free text."""

from django.db import migrations

OCCUPATIONS = [
    ("petani", "Petani", "petani,tani,bertani,buruh tani,penggarap,peternak,ternak"),
    ("pekebun", "Pekebun", "pekebun,kebun,berkebun,sawit,karet,kelapa sawit,petani sawit,petani karet,petani kebun,kopi,kakao,lada"),
    ("nelayan", "Nelayan", "nelayan,perikanan,penangkap ikan,pembudidaya ikan,tambak,petambak,pencari ikan"),
    ("pedagang", "Pedagang / pedagang kaki lima", "pedagang,dagang,berdagang,pkl,kaki lima,warung,penjual,jualan,kios,asongan,pedagang kaki lima,pedagang keliling"),
    ("buruh_harian_lepas", "Buruh harian lepas", "buruh,buruh harian,buruh harian lepas,buruh lepas,bhl,kuli,serabutan,pekerja harian"),
    ("ojek_pengemudi", "Ojek / pengemudi", "ojek,ojol,ojek online,pengemudi,sopir,supir,driver,kurir,becak,tukang ojek,motoris,juru mudi"),
    ("tukang_bangunan", "Tukang / pekerja bangunan", "tukang,tukang batu,tukang kayu,bangunan,kuli bangunan,pekerja bangunan,buruh bangunan,las,tukang las"),
    ("pengrajin", "Pengrajin", "pengrajin,perajin,kerajinan,anyaman,tenun,penenun,ukir,pengukir,penjahit"),
    ("perangkat_desa", "Perangkat desa", "perangkat desa,kepala desa,kades,sekretaris desa,sekdes,kaur,kasi,kadus,kepala dusun,pambakal,perangkat kelurahan,staf desa"),
    ("ketua_rt_rw", "Ketua RT/RW", "rt,rw,ketua rt,ketua rw,rt rw,ketua rt rw"),
    ("anggota_bpd", "Anggota BPD", "bpd,anggota bpd,badan permusyawaratan desa"),
    ("lainnya", "Lainnya", ""),
]


def seed(apps, schema_editor):
    Occupation = apps.get_model("registry", "OccupationCategory")
    for order, (code, name, keywords) in enumerate(OCCUPATIONS, start=1):
        Occupation.objects.update_or_create(
            code=code, defaults={"name": name, "keywords": keywords, "sort_order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
